import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { deliver, example, EXAMPLE_REPO, installRepo } from './support/deliveries.js';
import { API_TOKEN, createTestApp, type TestApp } from './support/test-app.js';
import { ensureWebBuilt } from './support/web-build.js';

function sessionCookie(res: { headers: Record<string, unknown> }): string {
  const cookies = res.headers['set-cookie'] as string[];
  const cookie = cookies.find((c) => c.startsWith('nectr_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

describe('web UI sessions and stats', () => {
  let t: TestApp;

  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('serves the UI at / with a CSP that allows no inline script or style', async () => {
    const res = await t.http.get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(res.text)![1];
    const asset = await t.http.get(script).expect(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    await t.http.get('/assets/nothing-here.js').expect(404);
  });

  it('says a wrong token is wrong, and sets no cookie', async () => {
    const res = await t.http.post('/api/v1/session').send({ token: 'not-the-token-at-all' }).expect(401);
    expect(res.body.message).toBe('Wrong API token');
    expect(res.headers['set-cookie']).toBeUndefined();
    await t.http.post('/api/v1/session').send({}).expect(400);
  });

  it('trades the token for an HttpOnly SameSite=Strict cookie that expires, stored only as a hash', async () => {
    const res = await t.http.post('/api/v1/session').send({ token: API_TOKEN }).expect(200);
    const cookie = sessionCookie(res);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Expires=/);
    expect(cookie).not.toMatch(/Secure/);
    // docs/web-ui.md: the session expires after 12 hours, in the cookie and in the API's answer.
    const twelveHours = Date.now() + 12 * 3600_000;
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]);
    expect(Math.abs(expires - twelveHours)).toBeLessThan(60_000);
    expect(Math.abs(Date.parse(res.body.expires_at) - twelveHours)).toBeLessThan(60_000);
    expect(JSON.stringify(res.body)).not.toContain(API_TOKEN);
    const value = /^nectr_session=([^;]+)/.exec(cookie)![1];
    const rows = await t.db.query(`SELECT id_hash FROM sessions`);
    const hashes = rows.map((r: { id_hash: Buffer }) => r.id_hash.toString('hex'));
    expect(hashes).toContain(createHmac('sha256', API_TOKEN).update(value).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(value);
  });

  it('marks the cookie Secure when the request came over https through a local proxy', async () => {
    const res = await t.http.post('/api/v1/session').set('X-Forwarded-Proto', 'https').send({ token: API_TOKEN });
    expect(sessionCookie(res)).toMatch(/Secure/);
  });

  it('lets the session read, write only with the CSRF token, and ends it on sign-out', async () => {
    const res = await t.http.post('/api/v1/session').send({ token: API_TOKEN }).expect(200);
    const cookie = sessionCookie(res).split(';')[0];
    const csrf: string = res.body.csrf_token;
    await t.http.get('/api/v1/repos').set('Cookie', cookie).expect(200);
    expect((await t.http.get('/api/v1/session').set('Cookie', cookie).expect(200)).body).toMatchObject({
      signed_in: true,
      csrf_token: csrf,
    });
    const missing = `/api/v1/events/00000000-0000-4000-8000-000000000000/retry`;
    const refused = await t.http.post(missing).set('Cookie', cookie).expect(403);
    expect(refused.body.message).toMatch(/X-CSRF-Token/);
    await t.http.post(missing).set('Cookie', cookie).set('X-CSRF-Token', 'wrong').expect(403);
    await t.http.post(missing).set('Cookie', cookie).set('X-CSRF-Token', csrf).expect(404);
    await t.http.delete('/api/v1/session').set('Cookie', cookie).expect(403);
    const out = await t.http.delete('/api/v1/session').set('Cookie', cookie).set('X-CSRF-Token', csrf).expect(204);
    // The browser drops the cookie too: emptied, expired in the past, with the attributes it was set with.
    const cleared = sessionCookie(out);
    expect(cleared).toMatch(/^nectr_session=;/);
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(cleared).toMatch(/HttpOnly/);
    expect(cleared).toMatch(/SameSite=Strict/);
    const after = await t.http.get('/api/v1/repos').set('Cookie', cookie).expect(401);
    expect(after.body.message).toMatch(/sign in again/);
    expect((await t.http.get('/api/v1/session').set('Cookie', cookie).expect(200)).body).toEqual({ signed_in: false });
  });

  it('refuses an expired session', async () => {
    const res = await t.http.post('/api/v1/session').send({ token: API_TOKEN }).expect(200);
    const cookie = sessionCookie(res).split(';')[0];
    const value = cookie.split('=')[1];
    await t.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id_hash = $1`, [
      createHmac('sha256', API_TOKEN).update(value).digest(),
    ]);
    await t.http.get('/api/v1/repos').set('Cookie', cookie).expect(401);
  });

  it('ends every session when API_TOKEN changes (the old one leaked)', async () => {
    const res = await t.http.post('/api/v1/session').send({ token: API_TOKEN }).expect(200);
    const cookie = sessionCookie(res).split(';')[0];
    const csrf: string = res.body.csrf_token;
    await t.http.get('/api/v1/repos').set('Cookie', cookie).expect(200);
    // The same database, restarted with a new token.
    const rotated = await createTestApp({ shareWith: t, env: { API_TOKEN: 'a-new-token-after-the-leak-0123' } });
    try {
      await rotated.http.get('/api/v1/repos').set('Cookie', cookie).expect(401);
      await rotated.http
        .post('/api/v1/events/00000000-0000-4000-8000-000000000000/retry')
        .set('Cookie', cookie)
        .set('X-CSRF-Token', csrf)
        .expect(401);
      expect((await rotated.http.get('/api/v1/session').set('Cookie', cookie).expect(200)).body).toEqual({
        signed_in: false,
      });
    } finally {
      await rotated.close();
    }
  });

  it('serves the overview and repository stats, with the bearer token too', async () => {
    await t.http.get('/api/v1/stats/overview').expect(401);
    const hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    await deliver(t, { event: 'push', payload: example('push'), ...hook }).expect(200);
    const hour = await t.http.get('/api/v1/stats/overview').set(t.auth).expect(200);
    expect(hour.body.window).toBe('hour');
    expect(hour.body.deliveries.times).toHaveLength(60);
    expect(hour.body.deliveries.series.received.reduce((a: number, b: number) => a + b, 0)).toBe(1);
    expect(Object.keys(hour.body.reviews.series).sort()).toEqual(['completed', 'failed', 'superseded']);
    expect(hour.body.queue).toMatchObject({ waiting: expect.any(Number), active: expect.any(Number) });
    expect(hour.body.outbox_backlog).toEqual(expect.any(Number));
    expect(hour.body.failed_events).toEqual({ count: 0, latest: [] });
    expect(hour.body.github_rate_limit).toMatchObject({ limit: 5000, remaining: expect.any(Number) });
    const day = await t.http.get('/api/v1/stats/overview?window=day').set(t.auth).expect(200);
    expect(day.body.deliveries.times).toHaveLength(1440);
    const bad = await t.http.get('/api/v1/stats/overview?window=week').set(t.auth).expect(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/hour or day/);
    const repos = await t.http.get('/api/v1/stats/repos').set(t.auth).expect(200);
    expect(repos.body).toEqual([
      {
        repo: EXAMPLE_REPO.fullName.toLowerCase(),
        events_by_status: { received: 1 },
        last_event: expect.objectContaining({ event_type: 'push', status: 'received' }),
      },
    ]);
  });

  it('counts reviews by outcome in the window, and lists the failed events newest first', async () => {
    const hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await deliver(t, { event: 'push', payload: example('push'), ...hook }).expect(200);
      ids.push(res.body.event_id as string);
    }
    const end = (id: string, status: string, ago: string) =>
      t.db.query(`UPDATE events SET status = $2, processed_at = now() - $3::interval WHERE id = $1`, [id, status, ago]);
    await end(ids[0], 'completed', '1 minute');
    await end(ids[1], 'failed', '2 minutes');
    await end(ids[2], 'failed', '3 hours'); // outside the hour, still a failed event
    await end(ids[3], 'superseded', '0 seconds');
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const hour = (await t.http.get('/api/v1/stats/overview').set(t.auth).expect(200)).body;
    expect(sum(hour.reviews.series.completed)).toBe(1);
    expect(sum(hour.reviews.series.failed)).toBe(1);
    expect(sum(hour.reviews.series.superseded)).toBe(1);
    // The minute a review ended is its bucket: the superseded one's is this minute, the completed one's
    // the one before (or one further back each, when the minute turned before the request).
    const { superseded, completed } = hour.reviews.series as Record<string, number[]>;
    expect(superseded.at(-1)! + superseded.at(-2)!).toBe(1);
    expect(completed.at(-2)! + completed.at(-3)!).toBe(1);
    const day = (await t.http.get('/api/v1/stats/overview?window=day').set(t.auth).expect(200)).body;
    expect(sum(day.reviews.series.failed)).toBe(2);
    expect(hour.failed_events.count).toBe(2);
    expect(hour.failed_events.latest.map((e: { id: string }) => e.id)).toEqual([ids[2], ids[1]]);
  });

  it('filters events by type and pages them', async () => {
    const hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    await deliver(t, { event: 'ping', payload: example('ping'), ...hook }).expect(200);
    const all = (await t.http.get('/api/v1/events').set(t.auth).expect(200)).body;
    expect(all.length).toBeGreaterThanOrEqual(2);
    const pings = (await t.http.get('/api/v1/events?type=ping').set(t.auth).expect(200)).body;
    expect(pings.map((e: { event_type: string }) => e.event_type)).toEqual(['ping']);
    const second = (await t.http.get('/api/v1/events?limit=1&offset=1').set(t.auth).expect(200)).body;
    expect(second.map((e: { id: string }) => e.id)).toEqual([all[1].id]);
    await t.http.get('/api/v1/events?type=DROP%20TABLE').set(t.auth).expect(400);
    await t.http.get('/api/v1/events?offset=-1').set(t.auth).expect(400);
  });
});

describe('sign-in rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { API_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => t?.close());

  it('limits sign-in attempts like the API', async () => {
    for (let i = 0; i < 3; i++)
      await t.http
        .post('/api/v1/session')
        .send({ token: `guess-${i}` })
        .expect(401);
    const res = await t.http.post('/api/v1/session').send({ token: API_TOKEN }).expect(429);
    expect(res.headers['retry-after']).toBeDefined();
  });
});
