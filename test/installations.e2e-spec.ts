import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InstallationsService } from '../src/installations/installations.service.js';
import { deliver, example } from './support/deliveries.js';
import { sentSecret, type FakeHook } from './support/fake-github.js';
import { sign } from './support/signing.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const HOOK_URL = 'https://nectr.example.test/api/v1/webhooks/github';

describe('installations API', () => {
  let t: TestApp;
  const hookPosts = (repo: string) => t.github.calls('POST', new RegExp(`^/repos/${repo}/hooks$`));

  beforeAll(async () => {
    t = await createTestApp();
    for (const name of [
      'octo/hello',
      'octo/again',
      'octo/rotate',
      'octo/gone',
      'octo/deleted-hook',
      'octo/events',
      'octo/flaky',
      'octo/limited',
      'octo/edited',
      'octo/edited-once',
      'octo/forbidden',
      'octo/removed',
    ])
      t.github.addRepo(name);
  });
  afterAll(() => t?.close());

  it.each([
    ['get', '/api/v1/repos'],
    ['post', '/api/v1/repos/octo/hello/install'],
    ['delete', '/api/v1/repos/octo/hello/install'],
    ['post', '/api/v1/repos/octo/hello/install/rotate-secret'],
  ] as const)('%s %s needs the bearer token', async (method, path) => {
    const missing = await t.http[method](path).expect(401);
    expect(missing.body).toEqual({ statusCode: 401, message: expect.stringContaining('bearer token') });
    await t.http[method](path).set('Authorization', 'Bearer wrong-token-wrong-token').expect(401);
    expect(t.github.requests).toHaveLength(0);
  });

  it('creates the hook on GitHub and answers 201 without any secret', async () => {
    const res = await t.http.post('/api/v1/repos/octo/hello/install').set(t.auth).send({}).expect(201);
    const [call] = hookPosts('octo/hello');
    expect(call.body).toEqual({
      name: 'web',
      active: true,
      events: ['pull_request', 'push'],
      config: {
        url: HOOK_URL,
        content_type: 'json',
        secret: expect.stringMatching(/^[0-9a-f]{64}$/),
        insecure_ssl: '0',
      },
    });
    const hook = [...t.github.repo('octo/hello').hooks.values()][0];
    expect(res.body).toEqual({
      repo: 'octo/hello',
      repository_id: t.github.repo('octo/hello').id,
      hook_id: hook.id,
      events: ['pull_request', 'push'],
      active: true,
      hook_verified_at: null,
      installed_at: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toContain(sentSecret(call));
  });

  it('is idempotent: installing again answers 200 with the same hook', async () => {
    const first = await t.http.post('/api/v1/repos/octo/again/install').set(t.auth).expect(201);
    const second = await t.http.post('/api/v1/repos/OCTO/Again/install').set(t.auth).expect(200);
    expect(second.body.hook_id).toBe(first.body.hook_id);
    expect(hookPosts('octo/again')).toHaveLength(1);
    expect(t.github.repo('octo/again').hooks.size).toBe(1);
  });

  it('answers concurrent installs of one repository with the one hook GitHub keeps', async () => {
    // GitHub refuses a second hook with the same payload URL (422): the installs that lose the race
    // get it, and must answer with the winner's installation like any repeated install.
    t.github.addRepo('octo/race');
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => t.http.post('/api/v1/repos/octo/race/install').set(t.auth)),
    );
    expect(answers.map((res) => res.status).sort()).toEqual([200, 200, 200, 201]);
    const hooks = [...t.github.repo('octo/race').hooks.values()];
    expect(hooks).toHaveLength(1);
    for (const res of answers) expect(res.body.hook_id).toBe(hooks[0].id);
    const installation = (await t.app.get(InstallationsService).findActive('octo/race'))!;
    const body = Buffer.from('{}');
    expect(
      t.app.get(InstallationsService).verifySignature(installation, body, sign(hooks[0].config.secret!, '{}')),
    ).toBe(true);
  });

  it('re-creates the hook with a fresh secret when it was deleted on GitHub', async () => {
    const first = await t.http.post('/api/v1/repos/octo/gone/install').set(t.auth).expect(201);
    // GitHub's ping verified the first hook; the re-created one is not verified until its own ping.
    const [created] = hookPosts('octo/gone');
    const ping = { event: 'ping', payload: example('ping'), secret: sentSecret(created), hookId: first.body.hook_id };
    await deliver(t, ping).expect(200);
    const listed = async () =>
      ((await t.http.get('/api/v1/repos').set(t.auth).expect(200)).body as Array<Record<string, unknown>>).find(
        (r) => r.repo === 'octo/gone',
      );
    expect((await listed())?.hook_verified_at).toEqual(expect.any(String));
    t.github.repo('octo/gone').hooks.clear();
    const second = await t.http.post('/api/v1/repos/octo/gone/install').set(t.auth).expect(200);
    expect(second.body.hook_id).not.toBe(first.body.hook_id);
    expect(second.body.hook_verified_at).toBeNull();
    expect((await listed())?.hook_verified_at).toBeNull();
    const [a, b] = hookPosts('octo/gone');
    expect(sentSecret(b)).not.toBe(sentSecret(a));
    const installation = (await t.app.get(InstallationsService).findActive('octo/gone'))!;
    expect(
      t.app.get(InstallationsService).verifySignature(installation, Buffer.from('{}'), sign(sentSecret(b), '{}')),
    ).toBe(true);
    expect(
      t.app.get(InstallationsService).verifySignature(installation, Buffer.from('{}'), sign(sentSecret(a), '{}')),
    ).toBe(false);
  });

  it('sets the same hook back as an install creates it when it was disabled or edited on GitHub', async () => {
    const first = await t.http.post('/api/v1/repos/octo/edited/install').set(t.auth).expect(201);
    const hook = t.github.repo('octo/edited').hooks.get(first.body.hook_id)!;
    const secret = hook.config.secret!;
    // Someone disabled it on GitHub's settings page, pointed it elsewhere and dropped an event.
    hook.active = false;
    hook.config.url = 'https://old-nectr.example.test/api/v1/webhooks/github';
    hook.events = ['push'];
    const second = await t.http.post('/api/v1/repos/octo/edited/install').set(t.auth).expect(200);
    expect(second.body).toMatchObject({ hook_id: first.body.hook_id, active: true, events: ['pull_request', 'push'] });
    expect(hookPosts('octo/edited')).toHaveLength(1);
    expect(hook).toMatchObject({
      active: true,
      events: ['pull_request', 'push'],
      config: { url: HOOK_URL, content_type: 'json', secret, insecure_ssl: '0' },
    });
    // A hook as Nectr left it is not written to again.
    const patches = () => t.github.calls('PATCH', /^\/repos\/octo\/edited\/hooks\//).length;
    const before = patches();
    await t.http.post('/api/v1/repos/octo/edited/install').set(t.auth).expect(200);
    expect(patches()).toBe(before);
  });

  it.each([
    ['disabled', (hook: FakeHook) => (hook.active = false)],
    ['set to skip TLS verification', (hook: FakeHook) => (hook.config.insecure_ssl = '1')],
    ['set to deliver form-encoded', (hook: FakeHook) => (hook.config.content_type = 'form')],
    ['pointed elsewhere', (hook: FakeHook) => (hook.config.url = 'https://elsewhere.example.test/hook')],
    ['subscribed to fewer events', (hook: FakeHook) => (hook.events = ['push'])],
  ])('sets the hook back when it was only %s on GitHub', async (_what, edit) => {
    const res = await t.http.post('/api/v1/repos/octo/edited-once/install').set(t.auth);
    expect([200, 201]).toContain(res.status);
    const hook = t.github.repo('octo/edited-once').hooks.get(res.body.hook_id)!;
    const secret = hook.config.secret!;
    edit(hook);
    await t.http.post('/api/v1/repos/octo/edited-once/install').set(t.auth).expect(200);
    expect(hook).toMatchObject({
      active: true,
      events: ['pull_request', 'push'],
      config: { url: HOOK_URL, content_type: 'json', secret, insecure_ssl: '0' },
    });
  });

  it('subscribes to the events asked for', async () => {
    const res = await t.http
      .post('/api/v1/repos/octo/events/install')
      .set(t.auth)
      .send({ events: ['pull_request'] })
      .expect(201);
    expect(res.body.events).toEqual(['pull_request']);
    expect(hookPosts('octo/events')[0].body?.events).toEqual(['pull_request']);
  });

  it.each([
    ['/api/v1/repos/bad_owner!/hello/install', {}, /owner must be a GitHub user/],
    ['/api/v1/repos/-octo/hello/install', {}, /owner must be/],
    ['/api/v1/repos/octo/%2E%2E/install', {}, /repo must be a GitHub repository name/],
    ['/api/v1/repos/octo/' + 'r'.repeat(101) + '/install', {}, /repo must be/],
    [
      '/api/v1/repos/octo/hello/install',
      { events: ['push', 'not_an_event'] },
      /events must hold GitHub webhook event names \(e\.g\. pull_request, push\); got \\"not_an_event\\""/,
    ],
    [
      '/api/v1/repos/octo/hello/install',
      { events: 'push' },
      /^\["events must be an array of GitHub event names, e\.g\. \[\\"pull_request\\",\\"push\\"\]"\]$/,
    ],
    ['/api/v1/repos/octo/hello/install', { events: [] }, /at least one event/],
    ['/api/v1/repos/octo/hello/install', { evnts: ['push'] }, /property evnts should not exist/],
  ])('answers 400 for %s %j', async (path, body, message) => {
    const res = await t.http.post(path).set(t.auth).send(body).expect(400);
    expect(res.body.statusCode).toBe(400);
    expect(JSON.stringify(res.body.message)).toMatch(message);
  });

  it('answers one message for too many events', async () => {
    const res = await t.http
      .post('/api/v1/repos/octo/hello/install')
      .set(t.auth)
      .send({ events: Array<string>(80).fill('push') })
      .expect(400);
    expect(res.body.message).toEqual([expect.stringMatching(/^events must name at most \d+ events$/)]);
  });

  it.each([
    ['{"events":', 'Request body is not valid JSON'],
    ['null', 'Request body must be a JSON object'],
  ])('answers 400 for the JSON body %s', async (body, message) => {
    const res = await t.http
      .post('/api/v1/repos/octo/hello/install')
      .set(t.auth)
      .set('content-type', 'application/json')
      .send(body)
      .expect(400);
    expect(res.body).toEqual({ statusCode: 400, message });
  });

  it('maps GitHub 404 to 404 with what to fix', async () => {
    const res = await t.http.post('/api/v1/repos/octo/missing/install').set(t.auth).expect(404);
    expect(res.body.message).toMatch(/not found, or GITHUB_TOKEN cannot manage its hooks/);
  });

  it("maps GitHub 422 to 422 with GitHub's message", async () => {
    t.github.failNext('POST', /\/repos\/octo\/flaky\/hooks$/, 422, {
      body: {
        message: 'Validation Failed',
        errors: [{ message: 'Config url is not supported because it is private' }],
      },
    });
    const res = await t.http.post('/api/v1/repos/octo/flaky/install').set(t.auth).expect(422);
    expect(res.body.message).toBe(
      'GitHub rejected the hook: Validation Failed: Config url is not supported because it is private',
    );
  });

  it('takes over such a hook once when installs of the repository ask at once: its secret is the stored one', async () => {
    t.github.addRepo('octo/orphans');
    const hooks = t.github.repo('octo/orphans').hooks;
    hooks.set(8, { id: 8, name: 'web', active: true, events: ['push'], config: { url: HOOK_URL, secret: 'lost' } });
    const answers = await Promise.all(
      Array.from({ length: 3 }, () => t.http.post('/api/v1/repos/octo/orphans/install').set(t.auth)),
    );
    expect(answers.map((res) => res.status).sort()).toEqual([200, 200, 201]);
    for (const res of answers) expect(res.body.hook_id).toBe(8);
    expect(hooks.size).toBe(1);
    const installation = (await t.app.get(InstallationsService).findActive('octo/orphans'))!;
    const secret = hooks.get(8)!.config.secret!;
    expect(t.app.get(InstallationsService).verifySignature(installation, Buffer.from('{}'), sign(secret, '{}'))).toBe(
      true,
    );
  });

  it("takes over a hook to Nectr's URL that no installation knows, with a new secret and the events asked", async () => {
    // A database restored from before the install, or installations cleared for a new SECRETS_KEY:
    // the hook is still on GitHub, which refuses a second one to the same URL.
    t.github.addRepo('octo/orphan');
    const hooks = t.github.repo('octo/orphan').hooks;
    hooks.set(7, {
      id: 7,
      name: 'web',
      active: false,
      events: ['push'],
      config: { url: HOOK_URL, content_type: 'json', secret: 'lost-secret', insecure_ssl: '0' },
    });
    const res = await t.http
      .post('/api/v1/repos/octo/orphan/install')
      .set(t.auth)
      .send({ events: ['pull_request'] })
      .expect(201);
    expect(res.body).toMatchObject({ hook_id: 7, events: ['pull_request'], active: true });
    expect([...hooks.values()]).toEqual([expect.objectContaining({ id: 7, active: true, events: ['pull_request'] })]);
    const secret = hooks.get(7)!.config.secret!;
    expect(secret).not.toBe('lost-secret');
    const installation = (await t.app.get(InstallationsService).findActive('octo/orphan'))!;
    expect(t.app.get(InstallationsService).verifySignature(installation, Buffer.from('{}'), sign(secret, '{}'))).toBe(
      true,
    );
  });

  it('retries a GitHub 5xx once, then answers 502 when GitHub keeps failing', async () => {
    t.github.failNext('POST', /\/repos\/octo\/flaky\/hooks$/, 502);
    const posted = hookPosts('octo/flaky').length;
    await t.http.post('/api/v1/repos/octo/flaky/install').set(t.auth).expect(201);
    expect(hookPosts('octo/flaky').length - posted).toBe(2);
    t.github.failNext('GET', /\/repos\/octo\/flaky\/hooks\/\d+$/, 503, { times: 2 });
    const before = t.github.calls('GET', /\/repos\/octo\/flaky\/hooks\/\d+$/).length;
    const res = await t.http.post('/api/v1/repos/octo/flaky/install').set(t.auth).expect(502);
    expect(res.body.message).toMatch(/GitHub answered 503/);
    // A user waits on this request: one retry, not the three a review job makes.
    expect(t.github.calls('GET', /\/repos\/octo\/flaky\/hooks\/\d+$/).length - before).toBe(2);
  });

  it.each([
    [
      'primary',
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1800) },
      'API rate limit exceeded for user ID 1.',
      [1700, 1801],
    ],
    ['secondary', { 'retry-after': '90' }, 'You have exceeded a secondary rate limit.', [90, 90]],
  ])(
    'answers 503 with Retry-After at once when GitHub rate-limits the token (%s)',
    async (_kind, headers, message, retryAfter) => {
      t.github.failNext('GET', /^\/repos\/octo\/limited$/, 403, { body: { message }, headers });
      const calls = () => t.github.calls('GET', /^\/repos\/octo\/limited$/).length;
      const before = calls();
      const started = Date.now();
      const res = await t.http.post('/api/v1/repos/octo/limited/install').set(t.auth).expect(503);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(retryAfter[0]);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(retryAfter[1]);
      expect(res.body).toEqual({
        statusCode: 503,
        message: expect.stringMatching(/^GitHub's rate limit for GITHUB_TOKEN is used up \(.+\): try again in \d+ s$/),
      });
      expect(calls() - before).toBe(1);
    },
  );

  it('answers 502 when GitHub rejects the token', async () => {
    const saved = t.github.token;
    t.github.token = 'another-token';
    try {
      const res = await t.http.post('/api/v1/repos/octo/hello/install').set(t.auth).expect(502);
      expect(res.body.message).toMatch(/GitHub rejected GITHUB_TOKEN/);
    } finally {
      t.github.token = saved;
    }
  });

  it("answers 502 naming the token's permissions when GitHub refuses it the repository (403)", async () => {
    t.github.failNext('GET', /^\/repos\/octo\/forbidden$/, 403, {
      body: {
        message: 'Resource not accessible by personal access token',
        documentation_url: 'https://docs.github.com/rest/repos/repos#get-a-repository',
      },
    });
    const res = await t.http.post('/api/v1/repos/octo/forbidden/install').set(t.auth).expect(502);
    expect(res.body.message).toMatch(
      /^GitHub refused the request \(.*Resource not accessible.*\): check GITHUB_TOKEN's permissions$/,
    );
  });

  it('answers 502 when GitHub is unreachable', async () => {
    const offline = await createTestApp({ env: { GITHUB_API_URL: 'http://127.0.0.1:9' } });
    try {
      const res = await offline.http.post('/api/v1/repos/octo/hello/install').set(offline.auth).expect(502);
      expect(res.body.message).toMatch(/GitHub is unreachable/);
    } finally {
      await offline.close();
    }
  });

  it('rotates the secret: both verify during the grace period, only the new one after it', async () => {
    await t.http.post('/api/v1/repos/octo/rotate/install').set(t.auth).expect(201);
    const oldSecret = sentSecret(hookPosts('octo/rotate')[0]);
    const res = await t.http.post('/api/v1/repos/octo/rotate/install/rotate-secret').set(t.auth).expect(200);
    expect(res.body).toMatchObject({ repo: 'octo/rotate', previous_secret_valid_until: expect.any(String) });
    const [patch] = t.github.calls('PATCH', /\/repos\/octo\/rotate\/hooks\/\d+$/);
    // GitHub drops a secret a PATCH leaves out: the whole config must be sent.
    expect(patch.body?.config).toEqual({
      url: HOOK_URL,
      content_type: 'json',
      secret: expect.stringMatching(/^[0-9a-f]{64}$/),
      insecure_ssl: '0',
    });
    const newSecret = sentSecret(patch);
    expect(newSecret).not.toBe(oldSecret);
    expect(JSON.stringify(res.body)).not.toContain(newSecret);

    const service = t.app.get(InstallationsService);
    const body = Buffer.from('{"zen":"Keep it logically awesome."}');
    let installation = (await service.findActive('octo/rotate'))!;
    expect(service.verifySignature(installation, body, sign(newSecret, body))).toBe(true);
    expect(service.verifySignature(installation, body, sign(oldSecret, body))).toBe(true);
    expect(service.verifySignature(installation, body, sign('f'.repeat(64), body))).toBe(false);

    await t.db.query(
      `UPDATE installations SET previous_secret_expires_at = now() - interval '1 second' WHERE full_name = 'octo/rotate'`,
    );
    installation = (await service.findActive('octo/rotate'))!;
    expect(service.verifySignature(installation, body, sign(newSecret, body))).toBe(true);
    expect(service.verifySignature(installation, body, sign(oldSecret, body))).toBe(false);
  });

  it('lists installations without any secret field', async () => {
    const res = await t.http.get('/api/v1/repos').set(t.auth).expect(200);
    expect(res.body.map((r: { repo: string }) => r.repo)).toEqual(
      expect.arrayContaining(['octo/hello', 'octo/rotate']),
    );
    for (const row of res.body) {
      expect(Object.keys(row).sort()).toEqual([
        'active',
        'events',
        'hook_id',
        'hook_verified_at',
        'installed_at',
        'repo',
        'repository_id',
      ]);
    }
  });

  it('uninstalls: deletes the hook on GitHub, deactivates, 204; unknown repo 404', async () => {
    const hookId = (await t.http.post('/api/v1/repos/octo/hello/install').set(t.auth).expect(200)).body.hook_id;
    await t.http.delete('/api/v1/repos/octo/hello/install').set(t.auth).expect(204);
    expect(t.github.repo('octo/hello').hooks.has(hookId)).toBe(false);
    const list = await t.http.get('/api/v1/repos').set(t.auth).expect(200);
    expect(list.body.map((r: { repo: string }) => r.repo)).not.toContain('octo/hello');
    const again = await t.http.delete('/api/v1/repos/octo/hello/install').set(t.auth).expect(404);
    expect(again.body).toEqual({ statusCode: 404, message: 'octo/hello is not installed' });
    // Re-installing after an uninstall creates a new hook.
    await t.http.post('/api/v1/repos/octo/hello/install').set(t.auth).expect(201);
  });

  it('refuses deliveries for an uninstalled repository, found by hook id or by body: 403, nothing stored', async () => {
    const hookId = (await t.http.post('/api/v1/repos/octo/removed/install').set(t.auth).expect(201)).body.hook_id;
    const secret = t.github.repo('octo/removed').hooks.get(hookId)!.config.secret!;
    const payload = example('push');
    payload.repository = { id: t.github.repo('octo/removed').id, name: 'removed', full_name: 'octo/removed' };
    // Installed, the same deliveries are taken (so the 403s below are the uninstall's doing).
    await deliver(t, { event: 'push', payload, secret, hookId }).expect(200);
    await deliver(t, { event: 'push', payload, secret }).expect(200);
    await t.http.delete('/api/v1/repos/octo/removed/install').set(t.auth).expect(204);
    const count = async () => Number((await t.db.query(`SELECT count(*) AS n FROM events`))[0].n);
    const before = await count();
    for (const by of [{ hookId }, {}]) {
      const res = await deliver(t, { event: 'push', payload, secret, ...by }).expect(403);
      expect(res.body).toEqual({ statusCode: 403, message: 'Unknown webhook' });
    }
    expect(await count()).toBe(before);
  });

  it('a hook someone deleted on GitHub: rotating says to install again (404), uninstalling still works (204)', async () => {
    const hookId = (await t.http.post('/api/v1/repos/octo/deleted-hook/install').set(t.auth).expect(201)).body.hook_id;
    t.github.repo('octo/deleted-hook').hooks.delete(hookId);
    const rotate = await t.http.post('/api/v1/repos/octo/deleted-hook/install/rotate-secret').set(t.auth).expect(404);
    expect(rotate.body.message).toBe('The hook of octo/deleted-hook no longer exists on GitHub: install it again');
    await t.http.delete('/api/v1/repos/octo/deleted-hook/install').set(t.auth).expect(204);
    const list = await t.http.get('/api/v1/repos').set(t.auth).expect(200);
    expect(list.body.map((r: { repo: string }) => r.repo)).not.toContain('octo/deleted-hook');
  });

  it('stores no plaintext secret in any column of any table', async () => {
    const secrets = t.github.requests
      .map((r) => r.body?.config?.secret)
      .filter((s): s is string => typeof s === 'string' && s.length === 64);
    expect(secrets.length).toBeGreaterThan(5);
    const tables: Array<{ table_name: string }> = await t.db.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    let cells = 0;
    for (const { table_name } of tables) {
      const rows: Record<string, unknown>[] = await t.db.query(`SELECT * FROM "${table_name}"`);
      for (const row of rows) {
        for (const value of Object.values(row)) {
          cells++;
          const text = value instanceof Date ? value.toISOString() : JSON.stringify(value);
          for (const secret of secrets) expect(text).not.toContain(secret);
        }
      }
    }
    expect(cells).toBeGreaterThan(50);
  });
});
