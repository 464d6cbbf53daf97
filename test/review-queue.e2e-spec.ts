// ReviewQueueService.hasJob decides, for the sweep, whether an event's review job is still live in
// Redis. A wrong "no" requeues an event a worker is about to run; a wrong "yes" loses it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ReviewQueueService } from '../src/queue/review-queue.service.js';
import { createTestApp, type TestApp } from './support/test-app.js';

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
