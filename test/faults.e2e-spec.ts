// Faults, each ending with the same check: every delivery answered `received` ends `completed`
// with exactly one review on GitHub. Postgres and Redis here are private instances we can break.
import { afterAll, describe, expect, it } from '@jest/globals';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { join } from 'node:path';
import { createDatabase, startPostgres, startRedis } from '../scripts/services.js';
import { REVIEW_QUEUE } from '../src/queue/review-queue.constants.js';
import { deliver, EXAMPLE_REPO, installRepo, pullRequestPayload } from './support/deliveries.js';
import { riskyFiles } from './support/pulls.js';
import { createTestApp, waitFor, type TestApp } from './support/test-app.js';

const REPO = EXAMPLE_REPO.fullName;
const RECOVERY_ENV = {
  SWEEP_INTERVAL_SECONDS: '1',
  STUCK_AFTER_SECONDS: '5',
  QUEUE_LOCK_MS: '2000',
  REVIEW_BACKOFF_MS: '100',
  REVIEW_ATTEMPTS: '10',
  GITHUB_RETRY_BASE_MS: '20',
};
const dir = (name: string) => join(process.env.NECTR_TEST_ROOT!, `${name}-${process.pid}`);
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

let nextNumber = 1;
/** Adds a PR on the fake GitHub and delivers its `opened` event. */
function openPull(t: TestApp, hook: { hookId: number; secret: string }) {
  const number = nextNumber++;
  const sha = number.toString(16).padStart(40, 'c');
  t.github.addPull(REPO, { number, head: { sha, ref: `p${number}` }, files: riskyFiles() });
  return deliver(t, { event: 'pull_request', payload: pullRequestPayload({ number, sha }), ...hook }).then((res) => ({
    res,
    number,
  }));
}

/**
 * Every received event completed, each of its PRs with exactly one review. Each test's own limit
 * is above the waits it makes (jest's default 60 s would cut this wait short and hide what was left).
 */
async function expectAllReviewedOnce(t: TestApp, accepted: Array<{ id: string; number: number }>, timeoutMs = 45_000) {
  expect(accepted.length).toBeGreaterThan(0);
  const statuses = async () => {
    const rows: Array<{ id: string; status: string; attempts: number; error: string | null; updated_at: Date }> =
      await t.db.query('SELECT id, status, attempts, error, updated_at FROM events WHERE id = ANY($1)', [
        accepted.map((a) => a.id),
      ]);
    return rows;
  };
  try {
    await waitFor(
      async () => {
        const rows = await statuses();
        return rows.length === accepted.length && rows.every((r) => r.status === 'completed');
      },
      timeoutMs,
      250,
    );
  } catch (error) {
    // Say what was left, so a failure here can be diagnosed from CI output.
    const left = (await statuses()).filter((r) => r.status !== 'completed');
    const queue = t.app.get<Queue>(getQueueToken(REVIEW_QUEUE));
    const jobs = await Promise.all(left.map(async (r) => (await queue.getJob(r.id))?.getState() ?? 'no job'));
    throw new Error(
      `${(error as Error).message}; not completed: ${JSON.stringify(left)}; jobs: ${jobs.join(', ')}; redis ${queue.client.status}`,
      { cause: error },
    );
  }
  for (const { number } of accepted) expect(t.github.reviewsOf(REPO, number)).toHaveLength(1);
}

describe('faults', () => {
  it('Postgres restarted: deliveries during the outage get 503, none answered received is lost', async () => {
    const postgres = await startPostgres({ dir: dir('pg-fault'), persistent: true });
    cleanups.push(() => postgres.stop());
    const databaseUrl = await createDatabase(postgres.url, 'faults');
    const t = await createTestApp({ env: { ...RECOVERY_ENV, DATABASE_URL: databaseUrl } });
    cleanups.push(() => t.close());
    const hook = await installRepo(t, REPO, EXAMPLE_REPO.id);
    const accepted: Array<{ id: string; number: number }> = [];
    const record = ({
      res,
      number,
    }: {
      res: { status: number; body: { status?: string; event_id?: string } };
      number: number;
    }) => {
      if (res.status === 200 && res.body.status === 'received' && res.body.event_id)
        accepted.push({ id: res.body.event_id, number });
      return res.status;
    };
    for (let i = 0; i < 3; i++) expect(record(await openPull(t, hook))).toBe(200);

    await postgres.stop();
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const { res, number } = await openPull(t, hook);
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ statusCode: 503, message: expect.stringMatching(/Database unavailable/) });
      expect(Date.now() - started).toBeLessThan(10_000);
      record({ res, number });
    }
    const health = await t.http.get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({
      message: 'Unavailable: database down',
      error: { database: { status: 'down' } },
    });
    // The load balancer's check says the same: this process cannot store deliveries.
    const webhooks = await t.http.get('/health/webhooks');
    expect(webhooks.status).toBe(503);
    expect(webhooks.body).toMatchObject({ message: 'Unavailable: database down' });

    await postgres.pg.start();
    await waitFor(async () => (await t.http.get('/health')).status === 200, 20_000, 250);
    for (let i = 0; i < 3; i++) expect(record(await openPull(t, hook))).toBe(200);
    await expectAllReviewedOnce(t, accepted);
    expect(accepted).toHaveLength(6);
  }, 120_000);

  it('Redis killed and restarted during a burst of deliveries', async () => {
    const redis = await startRedis({ dir: dir('redis-fault'), appendOnly: false });
    cleanups.push(() => redis.stop());
    const t = await createTestApp({ env: { ...RECOVERY_ENV, REDIS_URL: redis.url } });
    cleanups.push(() => t.close());
    const hook = await installRepo(t, REPO, EXAMPLE_REPO.id);
    const burst = async (n: number) => Promise.all(Array.from({ length: n }, () => openPull(t, hook)));
    const first = burst(15);
    await new Promise((r) => setTimeout(r, 30));
    await redis.stop('SIGKILL'); // jobs in Redis are gone with it (no persistence)
    const answers = [...(await first), ...(await burst(5))];
    await redis.restart();
    const answers2 = await burst(5);
    const all = [...answers, ...answers2];
    for (const { res } of all) expect(res.status).toBe(200);
    await expectAllReviewedOnce(
      t,
      all.map(({ res, number }) => ({ id: res.body.event_id, number })),
    );
  }, 90_000);

  it('GitHub answering 5xx, timing out and rate limiting in bursts', async () => {
    const t = await createTestApp({ env: { ...RECOVERY_ENV, GITHUB_TIMEOUT_MS: '1000', REVIEW_CONCURRENCY: '4' } });
    cleanups.push(() => t.close());
    const hook = await installRepo(t, REPO, EXAMPLE_REPO.id);
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    t.github.chaos = (_method, path) => {
      if (!path.includes('/pulls/')) return undefined;
      const roll = random();
      if (roll < 0.12) return { status: 502 };
      if (roll < 0.18) return { status: 503 };
      if (roll < 0.22) return { status: 504, delayMs: 1500 }; // the client gives up first
      if (roll < 0.26) return { slowMs: 1500 }; // handled (a review may be created), answer too late
      if (roll < 0.3)
        return {
          status: 403,
          body: { message: 'You have exceeded a secondary rate limit' },
          headers: { 'retry-after': '1' },
        };
      if (roll < 0.33) return { status: 429, body: { message: 'Too many requests' }, headers: { 'retry-after': '1' } };
      return undefined;
    };
    // At least two reviews are created on GitHub but answered after the client gave up.
    t.github.slowNext('POST', /\/reviews$/, 1500);
    t.github.slowNext('POST', /\/reviews$/, 1500);
    const answers = await Promise.all(Array.from({ length: 20 }, () => openPull(t, hook)));
    for (const { res } of answers) expect(res.body.status).toBe('received');
    await expectAllReviewedOnce(
      t,
      answers.map(({ res, number }) => ({ id: res.body.event_id, number })),
      90_000,
    );
    t.github.chaos = undefined;
  }, 150_000);
});
