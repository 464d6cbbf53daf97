// Rotating SECRETS_KEY: from key A to key B through SECRETS_KEY_PREVIOUS and `npm run secrets:rekey`,
// with processes on the old and the new configuration side by side (a rolling restart). The new
// processes and the command run from dist/ (built by `npm test`); the process a rolling restart
// has not reached yet runs in this one, on A alone.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { ConfigType } from '@nestjs/config';
import { getRepositoryToken } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Repository } from 'typeorm';
import { secretsConfig } from '../src/config/index.js';
import { Installation } from '../src/installations/installation.entity.js';
import { SecretCipher } from '../src/installations/secret-cipher.js';
import { SecretsRekeyService } from '../src/installations/secrets-rekey.service.js';
import { deliver, example, installRepo } from './support/deliveries.js';
import { killAll, rekeyCommand, startNectr, type NectrProcess } from './support/processes.js';
import { createTestApp, waitFor, type TestApp } from './support/test-app.js';

const A = randomBytes(32).toString('base64');
const B = randomBytes(32).toString('base64');

/** The stored values, each opened with `key` alone (throws if one needs another key). */
async function openAllWith(t: TestApp, key: string): Promise<number> {
  const cipher = new SecretCipher(Buffer.from(key, 'base64'));
  const rows: Array<
    Record<'secret_encrypted' | 'previous_secret_encrypted' | 'pending_secret_encrypted', string | null>
  > = await t.db.query(
    'SELECT secret_encrypted, previous_secret_encrypted, pending_secret_encrypted FROM installations',
  );
  const values = rows.flatMap((r) => Object.values(r).filter((value) => value !== null));
  for (const value of values) cipher.decrypt(value);
  return values.length;
}

const ping = (secret: string, hookId: number) => ({ event: 'ping', payload: example('ping'), secret, hookId });

describe('rotating SECRETS_KEY during a rolling restart', () => {
  let old: TestApp;
  const at = (p: NectrProcess): TestApp => ({ ...old, http: request(`http://127.0.0.1:${p.port}`) });
  const envWith = (keys: Record<string, string>) => {
    const env: Record<string, string> = { ...old.env, PROCESS_ROLE: 'api', LOG_LEVEL: 'warn', ...keys };
    delete env.PORT;
    return env;
  };

  beforeAll(async () => {
    old = await createTestApp({ role: 'api', env: { SECRETS_KEY: A } });
  });
  afterAll(async () => {
    killAll();
    await old?.close();
  });

  it('accepts deliveries under A, then B with A as previous, then B alone; a process on A alone corrupts nothing', async () => {
    const first = await installRepo(old, 'octo/keys');
    await deliver(old, ping(first.secret, first.hookId)).expect(200);

    // The rolling restart reaches one process: B, with A as previous.
    const rolled = await startNectr(envWith({ SECRETS_KEY: B, SECRETS_KEY_PREVIOUS: A }));
    await rolled.healthy();
    await deliver(at(rolled), ping(first.secret, first.hookId)).expect(200);
    await deliver(old, ping(first.secret, first.hookId)).expect(200);

    // A repository installed through the new process has its secret under B: the process on A
    // alone refuses its deliveries (403, never a 500), the new one accepts them.
    const second = await installRepo(at(rolled), 'octo/keys-new');
    await deliver(at(rolled), ping(second.secret, second.hookId)).expect(200);
    await deliver(old, ping(second.secret, second.hookId)).expect(403);

    // The old process rotates a secret: it writes under A, which the new process reads.
    await old.http.post('/api/v1/repos/octo/keys/install/rotate-secret').set(old.auth).expect(200);
    const rotated = old.github.repo('octo/keys').hooks.get(first.hookId)!.config.secret!;
    await deliver(at(rolled), ping(rotated, first.hookId)).expect(200);
    await deliver(at(rolled), ping(first.secret, first.hookId)).expect(200); // within the grace

    const env = { DATABASE_URL: old.env.DATABASE_URL, SECRETS_KEY: B, SECRETS_KEY_PREVIOUS: A };
    const checked = await rekeyCommand(env, '--check');
    expect(checked.output).toContain(
      '2 stored webhook secrets still need SECRETS_KEY_PREVIOUS: run npm run secrets:rekey.',
    );
    expect(checked.code).toBe(1);
    const run = await rekeyCommand(env);
    expect(run.output).toContain('Re-encrypted 2 of 3 stored webhook secrets under SECRETS_KEY.');
    expect(run.output).toContain('SECRETS_KEY_PREVIOUS can be removed.');
    expect(run.code).toBe(0);
    expect(await openAllWith(old, B)).toBe(3);
    expect(run.output + checked.output).not.toContain(A);
    expect(run.output + checked.output).not.toContain(B);

    // The process on A alone, once its cache of installations expires, refuses what was re-encrypted.
    await waitFor(async () => (await deliver(old, ping(rotated, first.hookId))).status === 403, 20_000, 250);
    await deliver(at(rolled), ping(rotated, first.hookId)).expect(200);
    // A rotation on it writes under A again: the check says so, and a second run moves it.
    await old.http.post('/api/v1/repos/octo/keys-new/install/rotate-secret').set(old.auth).expect(200);
    const secondRotated = old.github.repo('octo/keys-new').hooks.get(second.hookId)!.config.secret!;
    expect((await rekeyCommand(env, '--check')).code).toBe(1);
    const again = await rekeyCommand(env);
    expect(again.output).toContain('Re-encrypted 1 of 4 stored webhook secrets under SECRETS_KEY.');
    expect(again.code).toBe(0);
    expect(await rekeyCommand(env)).toMatchObject({ code: 0, output: expect.stringContaining('Re-encrypted 0 of 4') });
    const done = await rekeyCommand(env, '--check');
    expect(done.output.trim()).toBe(
      'Every stored webhook secret that a key opens is encrypted under SECRETS_KEY: SECRETS_KEY_PREVIOUS can be removed.',
    );
    expect(done.code).toBe(0);

    // The roll to B alone: it boots and accepts the deliveries of both repositories.
    expect([0, 'SIGTERM']).toContain(await rolled.kill('SIGTERM'));
    const final = await startNectr(envWith({ SECRETS_KEY: B }));
    await final.healthy();
    await deliver(at(final), ping(rotated, first.hookId)).expect(200);
    await deliver(at(final), ping(secondRotated, second.hookId)).expect(200);
    await deliver(at(final), ping(second.secret, second.hookId)).expect(200); // its previous, within the grace
    await deliver(at(final), ping('not-the-secret', first.hookId)).expect(403);

    // A process started again on A alone refuses to boot rather than refuse every delivery.
    const stale = await startNectr(envWith({ SECRETS_KEY: A }));
    expect(await stale.exited).toBe(1);
    expect(stale.output().trim()).toMatch(
      /^Invalid configuration: SECRETS_KEY does not decrypt the stored webhook secrets; .*SECRETS_KEY_PREVIOUS.*npm run secrets:rekey/,
    );
    expect([0, 'SIGTERM']).toContain(await final.kill('SIGTERM'));
  });
});

describe('npm run secrets:rekey racing the running processes', () => {
  let onA: TestApp;
  let onB: TestApp;
  let rekey: SecretsRekeyService;
  let installations: Repository<Installation>;

  beforeAll(async () => {
    onA = await createTestApp({ role: 'api', env: { SECRETS_KEY: A } });
    onB = await createTestApp({ role: 'api', shareWith: onA, env: { SECRETS_KEY: B, SECRETS_KEY_PREVIOUS: A } });
    installations = onB.app.get(getRepositoryToken(Installation));
    rekey = new SecretsRekeyService(installations, onB.app.get<ConfigType<typeof secretsConfig>>(secretsConfig.KEY));
  });
  afterAll(async () => {
    await onB?.close();
    await onA?.close();
  });

  /** Starts `call` and resolves once GitHub holds its PATCH of a hook of `repo`; `release` lets it through. */
  async function heldAtGithub(repo: string, call: () => PromiseLike<request.Response>) {
    let release!: () => void;
    let held!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const holding = new Promise<void>((r) => (held = r));
    onA.github.holdRequest('PATCH', new RegExp(`^/repos/${repo}/hooks/\\d+$`), gate, held);
    const answer = Promise.resolve(call());
    await holding;
    return { release, answer };
  }

  it('keeps a rotation that read its row before the re-encryption, under B', async () => {
    const { hookId, secret } = await installRepo(onA, 'octo/race-rotate');
    const rotation = await heldAtGithub('octo/race-rotate', () =>
      onB.http.post('/api/v1/repos/octo/race-rotate/install/rotate-secret').set(onB.auth),
    );
    expect((await rekey.rekey()).needPreviousKey).toBe(0);
    rotation.release();
    expect((await rotation.answer).status).toBe(200);
    // The rotation's previous secret is the one it read (under A): written back under B.
    expect(await rekey.check()).toMatchObject({ needPreviousKey: 0, unreadable: [] });
    await openAllWith(onB, B);
    const rotated = onA.github.repo('octo/race-rotate').hooks.get(hookId)!.config.secret!;
    await deliver(onB, ping(rotated, hookId)).expect(200);
    await deliver(onB, ping(secret, hookId)).expect(200);
  });

  it('keeps a re-install that read its row before the re-encryption from writing the old value back', async () => {
    const { hookId, secret } = await installRepo(onA, 'octo/race-reinstall');
    onA.github.repo('octo/race-reinstall').hooks.get(hookId)!.active = false; // disabled on GitHub: set back
    const reinstall = await heldAtGithub('octo/race-reinstall', () =>
      onB.http.post('/api/v1/repos/octo/race-reinstall/install').set(onB.auth).send({}),
    );
    expect((await rekey.rekey()).needPreviousKey).toBe(0);
    reinstall.release();
    expect((await reinstall.answer).status).toBe(200);
    expect(await rekey.check()).toMatchObject({ needPreviousKey: 0, unreadable: [] });
    await openAllWith(onB, B);
    await deliver(onB, ping(secret, hookId)).expect(200);
  });

  it('moves each value once when two runs go at once', async () => {
    for (const name of ['octo/twice-a', 'octo/twice-b', 'octo/twice-c']) await installRepo(onA, name);
    const { needPreviousKey } = await rekey.check();
    expect(needPreviousKey).toBeGreaterThanOrEqual(3);
    const other = new SecretsRekeyService(installations, onB.app.get(secretsConfig.KEY));
    const [first, second] = await Promise.all([rekey.rekey(), other.rekey()]);
    expect(first.reencrypted + second.reencrypted).toBe(needPreviousKey);
    expect(first.needPreviousKey + second.needPreviousKey).toBe(0);
    await openAllWith(onB, B);
  });

  it('reports a value no key opens, keeps it as stored and counts it as nothing to move', async () => {
    const { hookId } = await installRepo(onA, 'octo/lost-key');
    await onA.http.post('/api/v1/repos/octo/lost-key/install/rotate-secret').set(onA.auth).expect(200);
    const rotated = onA.github.repo('octo/lost-key').hooks.get(hookId)!.config.secret!;
    // Values written under a key the operator no longer gives.
    const lost = new SecretCipher(randomBytes(32));
    const stored = async () => {
      const [row]: Array<{ secret_encrypted: string; previous_secret_encrypted: string | null }> = await onA.db.query(
        'SELECT secret_encrypted, previous_secret_encrypted FROM installations WHERE full_name = $1',
        ['octo/lost-key'],
      );
      return row;
    };
    const write = (column: string, value: string | null) =>
      onA.db.query(`UPDATE installations SET ${column} = $2 WHERE full_name = $1`, ['octo/lost-key', value]);
    const lostPrevious = lost.encrypt('a previous secret');
    await write('previous_secret_encrypted', lostPrevious);
    let underB: string | undefined;
    try {
      // The current secret moves under B; the previous one is reported and left as it was.
      const report = await rekey.rekey();
      expect(report).toMatchObject({ reencrypted: 1, needPreviousKey: 0 });
      expect(report.unreadable).toContainEqual({ fullName: 'octo/lost-key', active: true, value: 'previous' });
      const row = await stored();
      underB = row.secret_encrypted;
      expect(row.previous_secret_encrypted).toBe(lostPrevious);
      expect(new SecretCipher(Buffer.from(B, 'base64')).decrypt(underB)).toBe(rotated);

      // A current secret no key opens: reported, and no run of the command can move it.
      await write('secret_encrypted', lost.encrypt(rotated));
      const checked = await rekey.check();
      expect(checked.needPreviousKey).toBe(0);
      expect(checked.unreadable).toContainEqual({ fullName: 'octo/lost-key', active: true, value: 'secret' });
      expect(await rekey.rekey()).toMatchObject({ reencrypted: 0, needPreviousKey: 0 });
    } finally {
      // The other tests open every stored value with B.
      if (underB) await write('secret_encrypted', underB);
      await write('previous_secret_encrypted', null);
    }
  });

  it('writes a row only if it still holds what was read: a rotation between the read and the write wins', async () => {
    const { hookId } = await installRepo(onA, 'octo/race-cas');
    const find = installations.find.bind(installations);
    // The rotation lands after the re-encryption read the table, before it writes.
    const spy = jest.spyOn(installations, 'find').mockImplementationOnce(async (options) => {
      const rows = await find(options);
      await onA.http.post('/api/v1/repos/octo/race-cas/install/rotate-secret').set(onA.auth).expect(200);
      return rows;
    });
    try {
      const report = await rekey.rekey();
      expect(report.needPreviousKey).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const rotated = onA.github.repo('octo/race-cas').hooks.get(hookId)!.config.secret!;
    await deliver(onB, ping(rotated, hookId)).expect(200);
    await openAllWith(onB, B);
    // Idempotent: nothing left to do.
    expect(await rekey.rekey()).toMatchObject({ reencrypted: 0, needPreviousKey: 0 });
  });

  it('moves a pending secret a rotation whose answer was lost left, and reports one no key opens', async () => {
    const { hookId } = await installRepo(onA, 'octo/pending-key');
    const path = new RegExp('^/repos/octo/pending-key/hooks/\\d+$');
    onA.github.dropAnswerNext('PATCH', path, 2); // applied on GitHub, never answered
    expect((await onA.http.post('/api/v1/repos/octo/pending-key/install/rotate-secret').set(onA.auth)).status).toBe(
      502,
    );
    const applied = onA.github.repo('octo/pending-key').hooks.get(hookId)!.config.secret!;
    expect((await rekey.rekey()).needPreviousKey).toBe(0);
    await openAllWith(onB, B); // the pending secret too
    const write = (value: string | null) =>
      onA.db.query('UPDATE installations SET pending_secret_encrypted = $2 WHERE full_name = $1', [
        'octo/pending-key',
        value,
      ]);
    const [{ pending }] = await onA.db.query<Array<{ pending: string }>>(
      'SELECT pending_secret_encrypted AS pending FROM installations WHERE full_name = $1',
      ['octo/pending-key'],
    );
    try {
      await write(new SecretCipher(randomBytes(32)).encrypt('a lost pending secret'));
      const checked = await rekey.check();
      expect(checked.unreadable).toContainEqual({ fullName: 'octo/pending-key', active: true, value: 'pending' });
      expect(checked.needPreviousKey).toBe(0);
    } finally {
      await write(pending);
    }
    await deliver(onB, ping(applied, hookId)).expect(200);
  });
});
