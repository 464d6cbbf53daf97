// ReviewQueueService.hasJob decides, for the sweep, whether an event's review job is still live in
// Redis. A wrong "no" requeues an event a worker is about to run; a wrong "yes" loses it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ReviewQueueService } from '../src/queue/review-queue.service.js';
import { deliver, EXAMPLE_REPO, installRepo, pullRequestPayload } from './support/deliveries.js';
import { riskyFiles } from './support/pulls.js';
import { createTestApp, waitFor, type TestApp } from './support/test-app.js';

describe('ReviewQueueService.hasJob', () => {
  let t: TestApp;
  let queue: ReviewQueueService;

  beforeAll(async () => {
    t = await createTestApp({ role: 'api' }); // no worker: jobs stay where the test puts them
    queue = t.app.get(ReviewQueueService);
  });

  afterAll(() => t?.close());

  it('is false for an event without a job', async () => {
    expect(await queue.hasJob(randomUUID())).toBe(false);
  });

  it('is true for a waiting, a delayed and a running job', async () => {
    const [waiting, delayed, running] = [randomUUID(), randomUUID(), randomUUID()];
    expect(await queue.enqueue([waiting, running])).toBe(true);
    await queue.queue.add({ eventId: delayed }, { jobId: delayed, delay: 60_000 });
    // Running: moved from wait to active the way a worker takes it.
    const client = queue.queue.client;
    await client.lrem(queue.queue.toKey('wait'), 0, running);
    await client.lpush(queue.queue.toKey('active'), running);
    for (const id of [waiting, delayed, running]) expect(await queue.hasJob(id)).toBe(true);
  });

  it('removes a job found in no list (Redis lost part of its data) and answers false', async () => {
    const id = randomUUID();
    await queue.enqueue([id]);
    await queue.queue.client.lrem(queue.queue.toKey('wait'), 0, id);
    expect(await queue.hasJob(id)).toBe(false);
    expect(await queue.queue.getJob(id)).toBeNull();
  });
});

// API.md: "An event stuck in `processing` (its worker died) is picked up again." The sweep finds it
// once STUCK_AFTER_SECONDS have passed with no job for it in Redis, and queues it again.
describe('the sweep', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { SWEEP_INTERVAL_SECONDS: '1', STUCK_AFTER_SECONDS: '5' } });
  });

  afterAll(() => t?.close());

  it('picks up an event left processing by a dead worker, whose job Redis no longer has', async () => {
    const hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    const sha = '9'.repeat(40);
    t.github.addPull(EXAMPLE_REPO.fullName, { number: 5, head: { sha, ref: 's' }, files: riskyFiles() });
    const { body } = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ number: 5, sha }),
      ...hook,
    }).expect(200);
    const status = async () =>
      (await t.db.query<Array<{ status: string }>>(`SELECT status FROM events WHERE id = $1`, [body.event_id]))[0]
        .status;
    await waitFor(async () => (await status()) === 'completed', 30_000);
    // A worker claimed it again and died: processing for an hour, and no job left in Redis.
    await t.db.query(`UPDATE events SET status = 'processing', updated_at = now() - interval '1 hour' WHERE id = $1`, [
      body.event_id,
    ]);
    expect(await t.app.get(ReviewQueueService).hasJob(body.event_id)).toBe(false);
    await waitFor(async () => (await status()) === 'completed', 30_000, 200);
    // Run again, it found its review already posted: still one review on the PR.
    expect(t.github.reviewsOf(EXAMPLE_REPO.fullName, 5)).toHaveLength(1);
  });
});
