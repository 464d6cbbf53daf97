import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { deliver, EXAMPLE_REPO, example, installRepo, pullRequestPayload } from './support/deliveries.js';
import { FakeGitHub } from './support/fake-github.js';
import { killAll, startNectr } from './support/processes.js';
import { riskyFiles } from './support/pulls.js';
import { API_TOKEN, createTestApp, freshStore, waitFor, type TestApp } from './support/test-app.js';

describe('security', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ role: 'api', env: { API_RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(() => t?.close());

  it('rate limits the management API (429), before checking the token', async () => {
    const answers = [];
    for (let i = 0; i < 7; i++)
      answers.push(await t.http.get('/api/v1/repos').set('Authorization', 'Bearer guess-' + i));
    expect(answers.slice(0, 5).map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect(answers[5].status).toBe(429);
    expect(answers[5].body).toEqual({ statusCode: 429, message: expect.stringMatching(/Too many requests/) });
    expect(answers[5].headers['retry-after']).toBeDefined();
  });

  it('counts per X-Forwarded-For address when a proxy on the same host (loopback) sends it', async () => {
    const from = (address: string) =>
      t.http.get('/api/v1/repos').set('X-Forwarded-For', address).set('Authorization', 'Bearer guess');
    for (let i = 0; i < 5; i++) expect((await from('203.0.113.7')).status).toBe(401);
    expect((await from('203.0.113.7')).status).toBe(429);
    expect((await from('198.51.100.9')).status).toBe(401);
  });

  // API_RATE_LIMIT_PER_MINUTE counts every management route, the web UI's and /metrics included; each
  // path is tried from an address of its own.
  it.each([
    ['/api/v1/repos', '192.0.2.10'],
    ['/api/v1/events', '192.0.2.11'],
    ['/api/v1/stats/overview', '192.0.2.12'],
    ['/api/v1/session', '192.0.2.13'],
    ['/metrics', '192.0.2.14'],
  ])('rate limits %s', async (path, address) => {
    const get = () => t.http.get(path).set('X-Forwarded-For', address).set('Authorization', 'Bearer guess');
    for (let i = 0; i < 5; i++) expect((await get()).status).not.toBe(429);
    expect((await get()).status).toBe(429);
  });

  it('never rate limits webhooks', async () => {
    for (let i = 0; i < 10; i++)
      await t.http.post('/api/v1/webhooks/github').set('x-github-hook-id', '1').send('{}').expect(403);
  });

  it('sends security headers', async () => {
    const res = await t.http.get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('does not parse the body before the installation is known when X-GitHub-Hook-ID is present', async () => {
    // Malformed JSON with an unknown hook id: refused as unknown (403), not as malformed (400).
    const res = await t.http
      .post('/api/v1/webhooks/github')
      .set('x-github-hook-id', '987654')
      .set('content-type', 'application/json')
      .send('{"not json');
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('Unknown webhook');
  });
});

describe('TRUST_PROXY', () => {
  const from = (t: TestApp, address: string) =>
    t.http.get('/api/v1/repos').set('X-Forwarded-For', address).set('Authorization', 'Bearer guess');
  const cookieOf = async (t: TestApp) =>
    String(
      (await t.http.post('/api/v1/session').set('X-Forwarded-Proto', 'https').send({ token: API_TOKEN }).expect(200))
        .headers['set-cookie'],
    );

  it('believes X-Forwarded-For and -Proto only from the proxies it names', async () => {
    // The tests connect from 127.0.0.1: a proxy named elsewhere makes them an untrusted client.
    const t = await createTestApp({ role: 'api', env: { API_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '192.0.2.1' } });
    try {
      for (let i = 0; i < 3; i++) expect((await from(t, `203.0.113.${i}`)).status).toBe(401);
      // One budget, whatever address the header claims.
      expect((await from(t, '198.51.100.9')).status).toBe(429);
    } finally {
      await t.close();
    }
    const session = await createTestApp({ role: 'api', env: { TRUST_PROXY: '192.0.2.1' } });
    try {
      expect(await cookieOf(session)).not.toMatch(/Secure/);
    } finally {
      await session.close();
    }
  });

  it('takes a hop count: the balancer in front is believed', async () => {
    const t = await createTestApp({ role: 'api', env: { API_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '1' } });
    try {
      for (let i = 0; i < 3; i++) expect((await from(t, '203.0.113.7')).status).toBe(401);
      expect((await from(t, '203.0.113.7')).status).toBe(429);
      expect((await from(t, '198.51.100.9')).status).toBe(401);
      expect(await cookieOf(t)).toMatch(/Secure/);
    } finally {
      await t.close();
    }
  });
});

describe('logs', () => {
  afterAll(killAll);

  it('never contain a secret or token through a whole install, delivery, review and rotation flow', async () => {
    const github = await new FakeGitHub().start();
    github.token = `ghp_${randomBytes(18).toString('hex')}`;
    const { databaseUrl, prefix } = await freshStore();
    const secretsKey = randomBytes(32).toString('base64');
    const previousKey = randomBytes(32).toString('base64');
    const nectr = await startNectr({
      APP_ENV: 'production',
      LOG_LEVEL: 'debug',
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.NECTR_TEST_REDIS_URL!,
      QUEUE_PREFIX: prefix,
      SECRETS_KEY: secretsKey,
      SECRETS_KEY_PREVIOUS: previousKey,
      API_TOKEN,
      GITHUB_TOKEN: github.token,
      GITHUB_API_URL: github.url,
      GITHUB_WRITE_INTERVAL_MS: '0',
      BACKEND_URL: 'https://nectr.example.test',
    });
    try {
      await nectr.healthy();
      const base = `http://127.0.0.1:${nectr.port}`;
      const auth = { Authorization: `Bearer ${API_TOKEN}` };
      const app = { http: (await import('supertest')).default(base), auth, github } as unknown as TestApp;
      const hook = await installRepo(app, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
      const sha = '8'.repeat(40);
      github.addPull(EXAMPLE_REPO.fullName, { number: 4, head: { sha, ref: 'l' }, files: riskyFiles() });
      await deliver(app, { event: 'pull_request', payload: pullRequestPayload({ number: 4, sha }), ...hook }).expect(
        200,
      );
      await deliver(app, {
        event: 'push',
        payload: example('push'),
        ...hook,
        signature: 'sha256=' + 'f'.repeat(64),
      }).expect(403);
      await waitFor(() => github.reviewsOf(EXAMPLE_REPO.fullName, 4).length === 1);
      await app.http.post(`/api/v1/repos/${EXAMPLE_REPO.fullName}/install/rotate-secret`).set(auth).expect(200);
      await app.http.get('/api/v1/repos').set('Authorization', 'Bearer wrong-token-here').expect(401);
      await app.http.get('/metrics').set(auth).expect(200);
    } finally {
      await nectr.kill('SIGTERM');
      await github.stop();
    }
    const logs = nectr.output();
    expect(logs.split('\n').length).toBeGreaterThan(10); // the flow was logged at debug level
    const secrets = [
      API_TOKEN,
      secretsKey,
      previousKey,
      github.token,
      ...github.requests.map((r) => r.body?.config?.secret).filter((s): s is string => typeof s === 'string'),
    ];
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    for (const secret of secrets) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/v1:[A-Za-z0-9+/=]{16}:[A-Za-z0-9+/=]{24}:/); // no encrypted secret either
  });
});
