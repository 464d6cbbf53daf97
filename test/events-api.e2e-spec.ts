import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { join } from 'node:path';
import { startRedis, type RunningRedis } from '../scripts/services.js';
import { REVIEW_QUEUE } from '../src/queue/review-queue.constants.js';
import { deliver, example, EXAMPLE_REPO, installRepo, pullRequestPayload } from './support/deliveries.js';
import { createTestApp, waitFor, type TestApp } from './support/test-app.js';

describe('events API', () => {
  let t: TestApp;
  let hook: { hookId: number; secret: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // This process relays the outbox, but its worker is paused, so queued jobs stay visible.
    t = await createTestApp();
    await t.app.get<Queue>(getQueueToken(REVIEW_QUEUE)).pause(true);
    hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    ids.push = (await deliver(t, { event: 'push', payload: example('push'), ...hook })).body.event_id;
    ids.pr = (
      await deliver(t, { event: 'pull_request', payload: pullRequestPayload({ sha: 'd'.repeat(40) }), ...hook })
    ).body.event_id;
    ids.failed = (
      await deliver(t, {
        event: 'pull_request',
        payload: pullRequestPayload({ number: 9, sha: 'e'.repeat(40) }),
        ...hook,
      })
    ).body.event_id;
    await t.db.query(`UPDATE events SET status = 'failed', error = 'GitHub answered 502', attempts = 5 WHERE id = $1`, [
      ids.failed,
    ]);
    await t.app.get<Queue>(getQueueToken(REVIEW_QUEUE)).empty();
  });
  afterAll(() => t?.close());

  it('needs the bearer token', async () => {
    await t.http.get('/api/v1/events').expect(401);
    await t.http.get(`/api/v1/events/${ids.pr}`).expect(401);
    await t.http.post(`/api/v1/events/${ids.failed}/retry`).expect(401);
  });

  it('lists events newest first, without payloads, filtered by repo and status', async () => {
    const all = await t.http.get('/api/v1/events').set(t.auth).expect(200);
    expect(all.body.map((e: { id: string }) => e.id)).toEqual([ids.failed, ids.pr, ids.push]);
    expect(all.body[0]).toEqual({
      id: ids.failed,
      repo: EXAMPLE_REPO.fullName,
      delivery_id: expect.any(String),
      event_type: 'opened_pull_request',
      github_event: 'pull_request',
      action: 'opened',
      pr_number: 9,
      head_sha: 'e'.repeat(40),
      status: 'failed',
      attempts: 5,
      error: 'GitHub answered 502',
      review_url: null,
      note: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      processed_at: null,
    });
    const pending = await t.http.get('/api/v1/events?status=pending').set(t.auth).expect(200);
    expect(pending.body.map((e: { id: string }) => e.id)).toEqual([ids.pr]);
    const byRepo = await t.http.get(`/api/v1/events?repo=codertocat/hello-world&limit=2`).set(t.auth).expect(200);
    expect(byRepo.body).toHaveLength(2);
    expect((await t.http.get('/api/v1/events?repo=other/repo').set(t.auth).expect(200)).body).toEqual([]);
  });

  it.each([
    ['status=done', /status must be one of/],
    ['limit=0', /limit must not be less than 1/],
    ['limit=abc', /limit must be a whole number/],
    ['limit=501', /limit must not be greater than 500/],
    ['repo=../../etc', /repo must be owner\/name/],
  ])('answers 400 for ?%s', async (query, message) => {
    const res = await t.http.get(`/api/v1/events?${query}`).set(t.auth).expect(400);
    expect(JSON.stringify(res.body.message)).toMatch(message);
  });

  it('takes an empty filter as no filter, as API.md writes the query (?repo=&status=&limit=)', async () => {
    const all = await t.http.get('/api/v1/events').set(t.auth).expect(200);
    const empty = await t.http.get('/api/v1/events?repo=&status=&limit=&type=&offset=').set(t.auth).expect(200);
    expect(empty.body).toEqual(all.body);
    const failed = await t.http.get('/api/v1/events?repo=&status=failed&limit=').set(t.auth).expect(200);
    expect(failed.body.map((e: { id: string }) => e.id)).toEqual([ids.failed]);
  });

  it('shows one event with its payload; unknown or malformed ids are 404', async () => {
    const res = await t.http.get(`/api/v1/events/${ids.pr}`).set(t.auth).expect(200);
    expect(res.body).toMatchObject({ id: ids.pr, status: 'pending', attempts: 0, error: null, review_url: null });
    expect(res.body.payload.pull_request.head.sha).toBe('d'.repeat(40));
    await t.http.get('/api/v1/events/00000000-0000-4000-8000-000000000000').set(t.auth).expect(404);
    await t.http.get('/api/v1/events/not-a-uuid').set(t.auth).expect(404);
  });

  it('retries a failed event (back to pending and queued); other statuses are 409', async () => {
    const res = await t.http.post(`/api/v1/events/${ids.failed}/retry`).set(t.auth).expect(200);
    expect(res.body).toMatchObject({ id: ids.failed, status: 'pending' });
    await waitFor(() => t.app.get<Queue>(getQueueToken(REVIEW_QUEUE)).getJob(ids.failed));
    const again = await t.http.post(`/api/v1/events/${ids.failed}/retry`).set(t.auth).expect(409);
    expect(again.body.message).toBe(`Only failed events can be retried; event ${ids.failed} is pending`);
    await t.http.post(`/api/v1/events/${ids.push}/retry`).set(t.auth).expect(409);
    await t.http.post('/api/v1/events/00000000-0000-4000-8000-000000000000/retry').set(t.auth).expect(404);
  });

  it("never shows a credential a payload carries: a ping's hook secret is redacted", async () => {
    const ping = example('ping') as { hook: { config: Record<string, unknown> } };
    ping.hook.config.secret = 'plain-hook-secret';
    const stored = await deliver(t, { event: 'ping', payload: ping, ...hook }).expect(200);
    const res = await t.http.get(`/api/v1/events/${stored.body.event_id}`).set(t.auth).expect(200);
    expect(res.body.payload.hook.config.secret).toBe('[redacted]');
    expect(res.body.payload.hook.config.url).toEqual(expect.any(String));
    expect(res.text).not.toContain('plain-hook-secret');
  });
});

describe('retry in an api process', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ role: 'api' }); // stores into the outbox and never relays it
  });
  afterAll(() => t?.close());

  it('retries a failed event whose outbox entry is still there', async () => {
    const hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    const { event_id: id } = (
      await deliver(t, { event: 'pull_request', payload: pullRequestPayload(), ...hook }).expect(200)
    ).body;
    await t.db.query(`UPDATE events SET status = 'failed' WHERE id = $1`, [id]);
    const res = await t.http.post(`/api/v1/events/${id}/retry`).set(t.auth).expect(200);
    expect(res.body).toMatchObject({ id, status: 'pending' });
    expect(await t.db.query('SELECT event_id FROM event_outbox')).toEqual([{ event_id: id }]);
    const metrics = await t.http.get('/metrics').set(t.auth).expect(200);
    expect(metrics.text).toMatch(/^nectr_outbox_events 1$/m); // waiting for a worker process to relay it
  });
});

describe('ingest while Redis is down', () => {
  let redis: RunningRedis;
  let t: TestApp;

  beforeAll(async () => {
    redis = await startRedis({
      dir: join(process.env.NECTR_TEST_ROOT!, `redis-outage-${process.pid}`),
      appendOnly: false,
    });
    t = await createTestApp({ env: { REDIS_URL: redis.url, SWEEP_INTERVAL_SECONDS: '1' } });
    await t.app.get<Queue>(getQueueToken(REVIEW_QUEUE)).pause(true);
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('still answers received, keeps the event pending, and queues it once Redis is back', async () => {
    const hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    await redis.stop();
    const started = Date.now();
    const res = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ sha: 'f'.repeat(40) }),
      ...hook,
    }).expect(200);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.body.status).toBe('received');
    expect((await t.db.query('SELECT status FROM events WHERE id = $1', [res.body.event_id]))[0].status).toBe(
      'pending',
    );

    await redis.restart();
    const queue = t.app.get<Queue>(getQueueToken(REVIEW_QUEUE));
    const job = await waitFor(() => queue.getJob(res.body.event_id), 20_000, 250);
    expect(job.data).toEqual({ eventId: res.body.event_id });
  });
});
