// A Postgres stall while a review takes its posting lease: the statement times out on the client
// but commits when Postgres resumes. The same call's next try must take that lease as its own
// rather than wait for it to lapse as another run's (which delayed reviews by ~13 minutes).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createDatabase, startPostgres } from '../scripts/services.js';
import { EventLifecycleService, type ClockReading } from '../src/events/event-lifecycle.service.js';
import { Event } from '../src/events/event.entity.js';
import { EventStatus } from '../src/events/event-status.js';
import { deliver, EXAMPLE_REPO, installRepo, pullRequestPayload } from './support/deliveries.js';
import { createTestApp, waitFor, type TestApp } from './support/test-app.js';

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

describe('posting lease of a pull request', () => {
  let t: TestApp;
  let hook: { hookId: number; secret: string };
  let nextNumber = 1;

  beforeAll(async () => {
    // `api`: no worker takes the events; the test plays the reviews' part.
    t = await createTestApp({ role: 'api' });
    hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
  });
  afterAll(() => t?.close());

  /** `count` events of one new pull request (each a different head), all `processing`. */
  async function processingEvents(count: number, number = nextNumber++): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const sha = `${number}`.padStart(8, '0') + `${i}`.padStart(32, '0');
      const payload = pullRequestPayload({ number, sha, action: 'synchronize' });
      const res = await deliver(t, { event: 'pull_request', payload, ...hook }).expect(200);
      ids.push(res.body.event_id as string);
    }
    await t.db.query(`UPDATE events SET status = 'processing' WHERE id = ANY($1)`, [ids]);
    return ids;
  }
  const lifecycle = () => t.app.get(EventLifecycleService);

  it('is held by one event of a pull request at a time; the next takes it once that event ends', async () => {
    const [first, second] = await processingEvents(2);
    const [other] = await processingEvents(1);
    expect((await lifecycle().startPosting(first, 60_000)).state).toBe('granted');
    expect((await lifecycle().startPosting(second, 60_000)).state).toBe('pull-busy');
    // Another pull request of the repository is not held up.
    expect((await lifecycle().startPosting(other, 60_000)).state).toBe('granted');

    await lifecycle().complete(first, null, 'done');
    expect((await lifecycle().startPosting(second, 60_000)).state).toBe('granted');
  });

  it('is taken past a lease that lapsed (its holder died)', async () => {
    const [dead, next] = await processingEvents(2);
    expect((await lifecycle().startPosting(dead, 60_000)).state).toBe('granted');
    await t.db.query(`UPDATE events SET posting_since = now() - interval '2 minutes' WHERE id = $1`, [dead]);
    expect((await lifecycle().startPosting(next, 60_000)).state).toBe('granted');
  });

  describe('says whether a review may have been posted on the pull request since the caller read it', () => {
    /** `postedSinceRead` of the lease `id` is granted, for a read of the PR's reviews at `readAt`. */
    async function postedSinceRead(id: string, readAt: ClockReading | null): Promise<boolean> {
      const lease = await lifecycle().startPosting(id, 60_000, readAt);
      if (lease.state !== 'granted') throw new Error(`lease ${lease.state}`);
      return lease.postedSinceRead;
    }
    async function post(id: string, end: 'complete' | 'fail' | 'give back' | 'die'): Promise<void> {
      const lease = await lifecycle().startPosting(id, 60_000);
      if (lease.state !== 'granted') throw new Error(`lease ${lease.state}`);
      if (end === 'complete') await lifecycle().complete(id, 'https://github.test/review');
      if (end === 'fail') await lifecycle().fail(id, 'GitHub said 502');
      if (end === 'give back') await lifecycle().endPosting(id, lease.since);
      if (end === 'die')
        await t.db.query(`UPDATE events SET posting_since = now() - interval '2 minutes' WHERE id = $1`, [id]);
    }

    it('no: nothing posted since, or only before the read, or on another pull request', async () => {
      expect(await postedSinceRead((await processingEvents(1))[0], await lifecycle().readClock())).toBe(false);
      const [before, reading] = await processingEvents(2);
      await post(before, 'complete');
      expect(await postedSinceRead(reading, await lifecycle().readClock())).toBe(false);
      const [elsewhere] = await processingEvents(1);
      const [alone] = await processingEvents(1);
      const readAt = await lifecycle().readClock();
      await post(elsewhere, 'complete');
      expect(await postedSinceRead(alone, readAt)).toBe(false);
    });

    it('no: a lease ended earlier in the millisecond of the read', async () => {
      const [before, reading] = await processingEvents(2);
      await post(before, 'complete');
      // A read past the start of its millisecond (the clock's microseconds are 000 once in a
      // thousand), and the lease ended at that start: before the read, in the same millisecond.
      const startOfMs = async (at: ClockReading) =>
        (
          await t.db.query<Array<{ start: boolean }>>(
            `SELECT date_trunc('milliseconds', $1::timestamptz) = $1::timestamptz AS start`,
            [at],
          )
        )[0].start;
      let readAt = await lifecycle().readClock();
      for (let i = 0; i < 5 && (await startOfMs(readAt)); i++) readAt = await lifecycle().readClock();
      await t.db.query(
        `UPDATE events SET posting_ended_at = date_trunc('milliseconds', $2::timestamptz),
           updated_at = date_trunc('milliseconds', $2::timestamptz) WHERE id = $1`,
        [before, readAt],
      );
      expect(await postedSinceRead(reading, readAt)).toBe(false);
    });

    it.each(['complete', 'fail', 'give back'] as const)(
      'yes: another event of the PR took its lease after the read, then ended it (%s)',
      async (end) => {
        const [other, reading] = await processingEvents(2);
        const readAt = await lifecycle().readClock();
        await post(other, end);
        expect(await postedSinceRead(reading, readAt)).toBe(true);
      },
    );

    // A rolling deploy: a worker of a build before the PostingEndedAt migration posts, then ends its
    // lease as that build did (TypeORM's update of the same columns, which stamps updated_at only).
    it.each(['complete', 'fail', 'give back'] as const)(
      'yes: another event of the PR posted after the read under an older build, which ended its lease (%s)',
      async (end) => {
        const [other, reading] = await processingEvents(2);
        const readAt = await lifecycle().readClock();
        const lease = await lifecycle().startPosting(other, 60_000);
        if (lease.state !== 'granted') throw new Error(`lease ${lease.state}`);
        const events = t.db.getRepository(Event);
        const ended = { processedAt: new Date(), postingSince: null, postingBy: null };
        if (end === 'complete')
          await events.update(
            { id: other, status: EventStatus.Processing },
            {
              ...ended,
              status: EventStatus.Completed,
              reviewUrl: 'https://github.test/review',
              note: null,
              error: null,
            },
          );
        if (end === 'fail')
          await events.update(
            { id: other, status: EventStatus.Processing },
            { ...ended, status: EventStatus.Failed, error: 'GitHub said 502' },
          );
        if (end === 'give back')
          await events.update({ id: other, postingSince: lease.since }, { postingSince: null, postingBy: null });
        const [row] = await t.db.query('SELECT posting_ended_at FROM events WHERE id = $1', [other]);
        expect(row.posting_ended_at).toBeNull();
        expect(await postedSinceRead(reading, readAt)).toBe(true);
      },
    );

    it("yes: another event's run died holding a lease, maybe after posting", async () => {
      const [dead, reading] = await processingEvents(2);
      await post(dead, 'die');
      expect(await postedSinceRead(reading, await lifecycle().readClock())).toBe(true);
    });

    it("yes: the lease taken is this event's own, from a run of it that died", async () => {
      const [reading] = await processingEvents(1);
      await post(reading, 'die');
      expect(await postedSinceRead(reading, await lifecycle().readClock())).toBe(true);
    });

    it('yes: the caller gives no time of reading', async () => {
      expect(await postedSinceRead((await processingEvents(1))[0], null)).toBe(true);
    });
  });

  it('goes to one event of a pull request when two ask at once', async () => {
    const [first, second] = await processingEvents(2);
    // Another transaction holds the first event's row, so the first ask waits inside its statement
    // while the second asks: the second must wait for it, not take a lease of its own beside it.
    const blocker = t.db.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    await blocker.query('SELECT 1 FROM events WHERE id = $1 FOR UPDATE', [first]);
    const asking = lifecycle().startPosting(first, 60_000);
    await waitFor(async () => {
      const [{ waiting }] = await t.db.query(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%posting_since%'`,
      );
      return waiting === 1;
    });
    const alongside = lifecycle().startPosting(second, 60_000);
    await new Promise((resume) => setTimeout(resume, 300));
    await blocker.commitTransaction();
    await blocker.release();
    expect([(await asking).state, (await alongside).state]).toEqual(['granted', 'pull-busy']);
  });
});
