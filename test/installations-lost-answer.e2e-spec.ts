// A secret rotation whose answer from GitHub never arrives (GitHub applied the PATCH, then the
// connection closed; or the process stopped before storing what GitHub had answered). GitHub then
// signs with a secret Nectr stored only as pending; its deliveries must still be accepted, since
// delivery recovery never redelivers one Nectr refused. Two instances over one store: the second
// never saw the rotation, as a process restarted after it would not. Grace 0, so a delivery
// accepted only under a secret kept as "previous" shows up as refused.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { SecretCipher } from '../src/installations/secret-cipher.js';
import { deliver, example, installRepo } from './support/deliveries.js';
import { createTestApp, SECRETS_KEY, type TestApp } from './support/test-app.js';

const cipher = new SecretCipher(Buffer.from(SECRETS_KEY, 'base64'));

interface Row {
  secret_encrypted: string;
  previous_secret_encrypted: string | null;
  pending_secret_encrypted: string | null;
}

describe('a secret rotation whose answer from GitHub is lost', () => {
  let one: TestApp;
  let two: TestApp;

  beforeAll(async () => {
    one = await createTestApp({ role: 'api', env: { SECRET_ROTATION_GRACE_SECONDS: '0' } });
    two = await createTestApp({ role: 'api', shareWith: one, env: { SECRET_ROTATION_GRACE_SECONDS: '0' } });
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  const rotate = (t: TestApp, repo: string) => t.http.post(`/api/v1/repos/${repo}/install/rotate-secret`).set(t.auth);
  const hookPath = (repo: string) => new RegExp(`^/repos/${repo}/hooks/\\d+$`);
  const githubSecret = (repo: string, hookId: number) => one.github.repo(repo).hooks.get(hookId)!.config.secret!;

  async function row(repo: string): Promise<Row> {
    const [found] = await one.db.query<Row[]>(
      `SELECT secret_encrypted, previous_secret_encrypted, pending_secret_encrypted
         FROM installations WHERE lower(full_name) = lower($1) AND active`,
      [repo],
    );
    return found;
  }

  /** A ping GitHub signs with `secret`, delivered to `t`: its answer's status, and whether it was stored. */
  async function ping(t: TestApp, hookId: number, secret: string): Promise<{ status: number; stored: boolean }> {
    const deliveryId = randomUUID();
    const { status } = await deliver(t, { event: 'ping', payload: example('ping'), secret, hookId, deliveryId });
    const [{ count }] = await one.db.query<Array<{ count: string }>>(
      'SELECT count(*) FROM events WHERE delivery_id = $1',
      [deliveryId],
    );
    return { status, stored: Number(count) === 1 };
  }

  it('GitHub applied it: its deliveries are accepted, in a process that never saw the rotation too', async () => {
    const { hookId, secret: old } = await installRepo(one, 'octo/lost-a');
    // Both tries of the interactive client (one retry) are applied and never answered.
    one.github.dropAnswerNext('PATCH', hookPath('octo/lost-a'), 2);
    const res = await rotate(one, 'octo/lost-a');
    expect(res.status).toBe(502);
    expect(res.body.message).toMatch(/may have reached GitHub/);
    const applied = githubSecret('octo/lost-a', hookId);
    expect(applied).not.toBe(old);
    expect(JSON.stringify(res.body)).not.toContain(applied);

    expect(await ping(two, hookId, applied)).toEqual({ status: 200, stored: true });
    // The first delivery signed with it promoted it: it is the secret now, and nothing is pending.
    const promoted = await row('octo/lost-a');
    expect(cipher.decrypt(promoted.secret_encrypted)).toBe(applied);
    expect(promoted.pending_secret_encrypted).toBeNull();
    expect(await ping(one, hookId, applied)).toEqual({ status: 200, stored: true });

    // A normal rotation afterwards: GitHub and Nectr agree on a new secret.
    expect((await rotate(two, 'octo/lost-a')).status).toBe(200);
    const next = githubSecret('octo/lost-a', hookId);
    expect(next).not.toBe(applied);
    expect(cipher.decrypt((await row('octo/lost-a')).secret_encrypted)).toBe(next);
    for (const t of [one, two]) expect((await ping(t, hookId, next)).status).toBe(200);
  });

  it('GitHub refused it (a 4xx): the new secret is dropped, the current one still verifies', async () => {
    const { hookId, secret } = await installRepo(one, 'octo/lost-b');
    one.github.failNext('PATCH', hookPath('octo/lost-b'), 422, { body: { message: 'Validation Failed' } });
    expect((await rotate(one, 'octo/lost-b')).status).toBe(422);
    const [sent] = one.github.calls('PATCH', hookPath('octo/lost-b'));
    const refused = (sent.body as { config: { secret: string } }).config.secret;
    expect((await row('octo/lost-b')).pending_secret_encrypted).toBeNull();
    expect(githubSecret('octo/lost-b', hookId)).toBe(secret);
    expect((await ping(two, hookId, secret)).status).toBe(200);
    expect((await ping(two, hookId, refused)).status).toBe(403);
  });

  it('GitHub answered 5xx without applying it: the current secret verifies, and rotating again finishes it', async () => {
    const { hookId, secret } = await installRepo(one, 'octo/lost-c');
    one.github.failNext('PATCH', hookPath('octo/lost-c'), 502, { times: 2 });
    const res = await rotate(one, 'octo/lost-c');
    expect(res.status).toBe(502);
    expect(res.body.message).toMatch(/may have reached GitHub/);
    const pending = cipher.decrypt((await row('octo/lost-c')).pending_secret_encrypted!);
    // A delivery signed with the secret GitHub kept is accepted and leaves the pending one pending.
    expect(await ping(two, hookId, secret)).toEqual({ status: 200, stored: true });
    expect((await row('octo/lost-c')).pending_secret_encrypted).not.toBeNull();

    expect((await rotate(two, 'octo/lost-c')).status).toBe(200);
    expect(githubSecret('octo/lost-c', hookId)).toBe(pending);
    const done = await row('octo/lost-c');
    expect(cipher.decrypt(done.secret_encrypted)).toBe(pending);
    expect(done.pending_secret_encrypted).toBeNull();
    for (const t of [one, two]) expect((await ping(t, hookId, pending)).status).toBe(200);
  });

  it('a re-install while a secret is pending sends GitHub that secret and promotes it', async () => {
    const { hookId } = await installRepo(one, 'octo/lost-d');
    one.github.dropAnswerNext('PATCH', hookPath('octo/lost-d'), 2);
    expect((await rotate(one, 'octo/lost-d')).status).toBe(502);
    const applied = githubSecret('octo/lost-d', hookId);
    const res = await two.http
      .post('/api/v1/repos/octo/lost-d/install')
      .set(two.auth)
      .send({ events: ['push'] });
    expect(res.status).toBe(200);
    const hook = one.github.repo('octo/lost-d').hooks.get(hookId)!;
    expect(hook.config.secret).toBe(applied);
    expect(hook.events).toEqual(['push']);
    const done = await row('octo/lost-d');
    expect(cipher.decrypt(done.secret_encrypted)).toBe(applied);
    expect(done.pending_secret_encrypted).toBeNull();
    for (const t of [one, two]) expect((await ping(t, hookId, applied)).status).toBe(200);
  });
});
