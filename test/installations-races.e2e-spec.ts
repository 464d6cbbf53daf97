// A re-install and a secret rotation of one repository at once, from two instances over one
// database and one (fake) GitHub: whichever order their calls reach GitHub in, the hook ends with
// the secret and the events Nectr stores. The grace of a previous secret is 0 here, so a hook left
// on a secret Nectr only keeps as "previous" shows up as refused deliveries.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { SecretCipher } from '../src/installations/secret-cipher.js';
import { deliver, example, installRepo } from './support/deliveries.js';
import { createTestApp, SECRETS_KEY, type TestApp } from './support/test-app.js';

const cipher = new SecretCipher(Buffer.from(SECRETS_KEY, 'base64'));

describe('a re-install racing a secret rotation', () => {
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

  /**
   * Starts `call` and resolves once GitHub holds its PATCH of `repo`'s hook: before applying it, or
   * (`applied`) after applying it, holding the answer.
   */
  async function heldAtGithub(repo: string, call: () => PromiseLike<request.Response>, applied = false) {
    let release!: () => void;
    let held!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const holding = new Promise<void>((r) => (held = r));
    const path = new RegExp(`^/repos/${repo}/hooks/\\d+$`);
    if (applied) one.github.holdNext('PATCH', path, gate, held);
    else one.github.holdRequest('PATCH', path, gate, held);
    const answer = Promise.resolve(call());
    await holding;
    return { release, answer };
  }

  const reinstall = (t: TestApp, repo: string, events: string[]) =>
    t.http.post(`/api/v1/repos/${repo}/install`).set(t.auth).send({ events });
  const rotate = (t: TestApp, repo: string) => t.http.post(`/api/v1/repos/${repo}/install/rotate-secret`).set(t.auth);

  /** GitHub's hook and the stored row agree, and a delivery GitHub signs now is accepted by both. */
  async function expectInStep(repo: string, hookId: number) {
    const hook = one.github.repo(repo).hooks.get(hookId)!;
    const [row] = await one.db.query<Array<{ secret_encrypted: string; events: string[] }>>(
      'SELECT secret_encrypted, events FROM installations WHERE lower(full_name) = lower($1) AND active',
      [repo],
    );
    expect(hook.events).toEqual(row.events);
    expect(cipher.decrypt(row.secret_encrypted)).toBe(hook.config.secret);
    for (const t of [one, two])
      await deliver(t, { event: 'ping', payload: example('ping'), secret: hook.config.secret!, hookId }).expect(200);
  }

  it('a rotation landing while a re-install waits on GitHub: the hook keeps the rotated secret', async () => {
    const { hookId } = await installRepo(one, 'octo/race-a');
    const held = await heldAtGithub('octo/race-a', () => reinstall(one, 'octo/race-a', ['pull_request']));
    expect((await rotate(two, 'octo/race-a')).status).toBe(200);
    held.release();
    expect((await held.answer).status).toBe(200);
    await expectInStep('octo/race-a', hookId);
  });

  it('a re-install landing while a rotation waits on GitHub: the hook keeps the re-install events', async () => {
    const { hookId } = await installRepo(one, 'octo/race-b');
    const held = await heldAtGithub('octo/race-b', () => rotate(one, 'octo/race-b'));
    expect((await reinstall(two, 'octo/race-b', ['pull_request'])).status).toBe(200);
    held.release();
    expect((await held.answer).status).toBe(200);
    await expectInStep('octo/race-b', hookId);
  });

  it('a re-install sending the secret it read after a rotation changed it on GitHub: the rotated one stays', async () => {
    const { hookId } = await installRepo(one, 'octo/race-c');
    const held = await heldAtGithub('octo/race-c', () => rotate(one, 'octo/race-c'), true);
    expect((await reinstall(two, 'octo/race-c', ['pull_request'])).status).toBe(200);
    held.release();
    expect((await held.answer).status).toBe(200);
    await expectInStep('octo/race-c', hookId);
  });

  it('two rotations at once: the hook keeps the secret stored last', async () => {
    const { hookId } = await installRepo(one, 'octo/race-d');
    const held = await heldAtGithub('octo/race-d', () => rotate(one, 'octo/race-d'), true);
    expect((await rotate(two, 'octo/race-d')).status).toBe(200);
    held.release();
    expect((await held.answer).status).toBe(200);
    await expectInStep('octo/race-d', hookId);
  });

  it('a delivery signed with the new secret while the rotation waits for GitHub to answer: accepted, both end in step', async () => {
    const { hookId } = await installRepo(one, 'octo/race-e');
    const held = await heldAtGithub('octo/race-e', () => rotate(one, 'octo/race-e'), true);
    // GitHub applied it and signs with it; the delivery reaches the other instance, which promotes it.
    const applied = one.github.repo('octo/race-e').hooks.get(hookId)!.config.secret!;
    await deliver(two, { event: 'ping', payload: example('ping'), secret: applied, hookId }).expect(200);
    held.release();
    expect((await held.answer).status).toBe(200);
    await expectInStep('octo/race-e', hookId);
    expect(one.github.repo('octo/race-e').hooks.get(hookId)!.config.secret).toBe(applied);
  });
});
