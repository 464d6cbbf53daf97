// A Postgres stall while a review takes its posting lease: the statement times out on the client
// but commits when Postgres resumes. The same call's next try must take that lease as its own
// rather than wait for it to lapse as another run's (which delayed reviews by ~13 minutes).
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createDatabase, startPostgres } from '../scripts/services.js';
import { EventLifecycleService } from '../src/events/event-lifecycle.service.js';
import { deliver, EXAMPLE_REPO, installRepo, pullRequestPayload } from './support/deliveries.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** Stops (or resumes) the postmaster and every backend, as SIGSTOP of a whole server would. */
function signalServer(postmaster: number, signal: 'SIGSTOP' | 'SIGCONT') {
  const children = execFileSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  for (const pid of [postmaster, ...children.map(Number)]) process.kill(pid, signal);
}

describe('posting lease', () => {
  it('is taken by the call whose earlier try committed during a 20 s Postgres freeze', async () => {
    const postgres = await startPostgres({ dir: join(process.env.NECTR_TEST_ROOT!, `pg-freeze-${process.pid}`) });
    cleanups.push(() => postgres.stop());
    const postmaster = (postgres.pg as unknown as { process?: ChildProcess }).process?.pid;
    expect(postmaster).toBeDefined();
    // `api`: the event stays pending (no worker takes it); the test plays the worker's part.
    const t: TestApp = await createTestApp({
      role: 'api',
      env: { DATABASE_URL: await createDatabase(postgres.url, 'lease') },
    });
    cleanups.push(() => t.close());
    const hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    const res = await deliver(t, { event: 'pull_request', payload: pullRequestPayload({ number: 1 }), ...hook });
    const id = res.body.event_id as string;
    await t.db.query(`UPDATE events SET status = 'processing' WHERE id = $1`, [id]);

    signalServer(postmaster!, 'SIGSTOP');
    let thawedAt = 0;
    const thaw = setTimeout(() => {
      signalServer(postmaster!, 'SIGCONT');
      thawedAt = Date.now();
    }, 20_000);
    cleanups.push(() => Promise.resolve(clearTimeout(thaw)));
    const lease = await t.app.get(EventLifecycleService).startPosting(id, 10 * 60_000);

    expect(thawedAt).toBeGreaterThan(0);
    expect(lease.state).toBe('granted');
    expect(Date.now() - thawedAt).toBeLessThan(5_000);
    const [row] = await t.db.query('SELECT posting_since FROM events WHERE id = $1', [id]);
    expect(row.posting_since).toEqual((lease as { since: Date }).since);
  }, 60_000);
});
