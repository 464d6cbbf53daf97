import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { startRedis, type RunningRedis } from '../scripts/services.js';
import { createTestApp, waitFor, type TestApp } from './support/test-app.js';

describe('GET /health', () => {
  let redis: RunningRedis;
  let t: TestApp;

  beforeAll(async () => {
    // A Redis of its own, so stopping it cannot disturb other test files.
    redis = await startRedis({
      dir: join(process.env.NECTR_TEST_ROOT!, `redis-health-${process.pid}`),
      appendOnly: false,
    });
    t = await createTestApp({ env: { REDIS_URL: redis.url } });
  });

  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('answers 200 with database and Redis up, without a token', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
  });

  it('answers 503 naming Redis when Redis is down, and 200 again once it is back', async () => {
    await redis.stop();
    const res = await t.http.get('/health').expect(503);
    expect(res.body).toMatchObject({ statusCode: 503, message: 'Unavailable: redis down' });
    expect(res.body.info.database.status).toBe('up');
    expect(res.body.error.redis.status).toBe('down');

    // The webhook route does not need Redis: its check stays up for a load balancer.
    const webhooks = await t.http.get('/health/webhooks').expect(200);
    expect(webhooks.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    expect(webhooks.body.info.redis).toBeUndefined();

    await redis.restart();
    await waitFor(async () => (await t.http.get('/health')).status === 200, 15_000);
  });

  it('answers 404 as JSON for an unknown route', async () => {
    const res = await t.http.get('/nope').expect(404);
    expect(res.body).toEqual({ statusCode: 404, message: expect.stringContaining('/nope') });
  });
});
