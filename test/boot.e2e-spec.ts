// Production starts `dist/src/main.js` with node (npm run start:prod adds V8 flags); these
// tests run that very file (built by `npm test`) to prove the compiled ES modules boot, refuse bad
// config and migrate.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../ormconfig.js';
import { SecretCipher } from '../src/installations/secret-cipher.js';
import { freePort } from '../scripts/services.js';
import { healthStatus, killAll, MAIN, rekeyCommand, startNectr } from './support/processes.js';
import { API_TOKEN, freshStore, SECRETS_KEY, waitFor } from './support/test-app.js';

/** What production is started with, over a fresh database and queue prefix. */
const productionEnv = ({ databaseUrl, prefix }: { databaseUrl: string; prefix: string }) => ({
  APP_ENV: 'production',
  API_TOKEN,
  SECRETS_KEY,
  DATABASE_URL: databaseUrl,
  REDIS_URL: process.env.NECTR_TEST_REDIS_URL!,
  QUEUE_PREFIX: prefix,
});

describe('npm run start:prod', () => {
  afterAll(killAll);

  it('has been built', () => {
    expect(existsSync(MAIN)).toBe(true);
  });

  it('refuses to boot in production without SECRETS_KEY, naming it in one line', async () => {
    const run = await startNectr({
      APP_ENV: 'production',
      API_TOKEN,
      DATABASE_URL: 'postgres://x@127.0.0.1:1/x',
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe('Invalid configuration: SECRETS_KEY is required when APP_ENV=production');
  });

  it('refuses to boot with a SECRETS_KEY that does not decrypt the stored webhook secrets, naming it', async () => {
    const { databaseUrl, prefix } = await freshStore();
    const db = new DataSource(dataSourceOptions(databaseUrl, 1));
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    await db.query(
      `INSERT INTO installations (owner, name, full_name, events, secret_encrypted) VALUES ('o', 'r', 'o/r', '{push}', $1)`,
      [new SecretCipher(Buffer.from(SECRETS_KEY, 'base64')).encrypt('a webhook secret')],
    );
    await db.destroy();
    const run = await startNectr({
      ...productionEnv({ databaseUrl, prefix }),
      SECRETS_KEY: randomBytes(32).toString('base64'),
    });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toMatch(
      /^Invalid configuration: SECRETS_KEY does not decrypt the stored webhook secrets;[^\n]*$/,
    );
    expect(run.output()).not.toContain('a webhook secret');
  });

  it('refuses to boot when an older installation needs a key dropped from SECRETS_KEY_PREVIOUS, counting it', async () => {
    const { databaseUrl, prefix } = await freshStore();
    const old = randomBytes(32).toString('base64');
    const db = new DataSource(dataSourceOptions(databaseUrl, 1));
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    const insert = `INSERT INTO installations (owner, name, full_name, events, secret_encrypted, created_at)
      VALUES ($1::text, $2::text, $1::text || '/' || $2::text, '{push}', $3, now() - $4::interval)`;
    // The older one was never re-encrypted; the newest (the only one read before) is under SECRETS_KEY.
    await db.query(insert, [
      'o',
      'older',
      new SecretCipher(Buffer.from(old, 'base64')).encrypt('older secret'),
      '1 day',
    ]);
    await db.query(insert, ['o', 'newer', new SecretCipher(Buffer.from(SECRETS_KEY, 'base64')).encrypt('newer'), '0']);
    await db.destroy();
    const env = productionEnv({ databaseUrl, prefix });
    const run = await startNectr(env);
    expect(await Promise.race([run.exited, run.healthy().then(() => 'booted')])).toBe(1);
    expect(run.output().trim()).toBe(
      'Invalid configuration: SECRETS_KEY does not decrypt the stored webhook secrets of 1 active installation ' +
        '(o/older), whose deliveries would be refused; put the key they were encrypted with back in ' +
        'SECRETS_KEY_PREVIOUS, then run npm run secrets:rekey (docs/reliability.md, "Rotating SECRETS_KEY")',
    );
    expect(run.output()).not.toContain('older secret');
    expect(run.output()).not.toContain(old);
    // The old key back in SECRETS_KEY_PREVIOUS: it boots.
    const restored = await startNectr({ ...env, SECRETS_KEY_PREVIOUS: old, PROCESS_ROLE: 'api' });
    await restored.healthy();
    expect([0, 'SIGTERM']).toContain(await restored.kill('SIGTERM'));

    // The old key lost for good: the command says how out, uninstalls what no key opens, and it boots.
    const keys = { DATABASE_URL: databaseUrl, SECRETS_KEY };
    const checked = await rekeyCommand(keys, '--check');
    expect(checked.output).toContain('No key given opens the webhook secret of o/older');
    expect(checked.output).toContain('--uninstall-unreadable');
    const forgot = await rekeyCommand(keys, '--uninstall-unreadable');
    expect(forgot.output).toContain(
      'Uninstalled o/older: no key given opens their webhook secrets. Install each again',
    );
    expect(forgot.code).toBe(0);
    expect((await rekeyCommand(keys, '--uninstall-unreadable')).output).toContain('nothing uninstalled');
    const clean = await startNectr({ ...env, PROCESS_ROLE: 'api' });
    await clean.healthy();
    expect([0, 'SIGTERM']).toContain(await clean.kill('SIGTERM'));
  });

  it.each([
    ['REDIS_URL', { DATABASE_URL: 'postgres://x@127.0.0.1:1/x', REDIS_URL: 'redis://:redis-s3cret@127.0.0.1:99999' }],
    ['DATABASE_URL', { DATABASE_URL: 'postgres://x:db%zzs3cret@127.0.0.1:1/x', REDIS_URL: 'redis://127.0.0.1:1' }],
  ])('refuses a malformed %s in one line naming it, without printing its password', async (name, urls) => {
    const run = await startNectr({ APP_ENV: 'production', API_TOKEN, SECRETS_KEY, ...urls });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toMatch(new RegExp(`^Invalid configuration: ${name} is not a valid URL [^\\n]*$`));
    expect(run.output()).not.toContain('s3cret');
  });

  it('stops with one line naming Postgres when the database refuses the connection', async () => {
    const run = await startNectr({
      APP_ENV: 'production',
      API_TOKEN,
      SECRETS_KEY,
      DATABASE_URL: 'postgres://nectr:db-s3cret@127.0.0.1:1/nectr',
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe(
      'Nectr failed to start: Postgres (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:1',
    );
  });

  it('refuses to boot without DATABASE_URL', async () => {
    const run = await startNectr({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/^Invalid configuration: DATABASE_URL is required/);
  });

  it('boots in production, applies migrations once with two instances starting together, and answers /health', async () => {
    const { databaseUrl, prefix } = await freshStore();
    const env = productionEnv({ databaseUrl, prefix });
    const runs = await Promise.all([startNectr(env), startNectr(env)]);
    await Promise.all(runs.map((run) => run.healthy()));
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const names = (await client.query('SELECT name FROM migrations')).rows.map((r: { name: string }) => r.name);
    const extensions = (await client.query('SELECT extname FROM pg_extension ORDER BY extname')).rows.map(
      (r: { extname: string }) => r.extname,
    );
    await client.end();
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(new Set(names).size).toBe(names.length);
    // Only what CREATE DATABASE brings: Nectr installs no extension (its uuids are gen_random_uuid()).
    expect(extensions).toEqual(['plpgsql']);
    for (const run of runs) {
      // Nest closes the app on SIGTERM, then re-raises the signal to end the process.
      expect([0, 'SIGTERM']).toContain(await run.kill('SIGTERM'));
    }
  });

  it('logs a 5xx answer (an api process probed on /health while Redis is down) as one JSON line without a stack', async () => {
    const { databaseUrl } = await freshStore();
    const run = await startNectr({
      APP_ENV: 'production',
      API_TOKEN,
      SECRETS_KEY,
      PROCESS_ROLE: 'api',
      DATABASE_URL: databaseUrl,
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    const url = `http://127.0.0.1:${run.port}`;
    await waitFor(
      async () => (await fetch(`${url}/health/webhooks`).catch(() => undefined))?.status === 200,
      30_000,
      200,
    );
    expect((await fetch(`${url}/health`)).status).toBe(503);
    const line = await waitFor(
      () =>
        run
          .output()
          .split('\n')
          .find((l) => l.includes('"url":"/health"') && l.includes('"statusCode":503')),
      5_000,
      100,
    );
    expect(JSON.parse(line)).toMatchObject({ level: 50, res: { statusCode: 503 } });
    expect(line).not.toContain('"stack"');
    expect([0, 'SIGTERM']).toContain(await run.kill('SIGTERM'));
  });

  it('says once, in a worker started while Redis is unreachable, that Redis cannot be reached', async () => {
    const { databaseUrl } = await freshStore();
    const run = await startNectr({
      APP_ENV: 'production',
      API_TOKEN,
      SECRETS_KEY,
      PROCESS_ROLE: 'worker',
      DATABASE_URL: databaseUrl,
      REDIS_URL: 'redis://:redis-s3cret@127.0.0.1:1',
    });
    const said = (o: string) => o.split('\n').filter((l) => l.includes('Cannot use Redis (REDIS_URL), retrying'));
    const line = await waitFor(() => said(run.output())[0], 30_000, 200).catch((error: Error) => {
      throw new Error(`${error.message}; output: ${run.output().slice(-3000)}`);
    });
    expect(JSON.parse(line)).toMatchObject({ level: 40, msg: expect.stringContaining('ECONNREFUSED 127.0.0.1:1') });
    await new Promise((r) => setTimeout(r, 5_000)); // Bull retries every 2 s: still one line
    expect(said(run.output())).toHaveLength(1);
    expect(run.output()).not.toContain('s3cret');
    expect([0, 'SIGTERM']).toContain(await run.kill('SIGTERM'));
  });

  it('stops node when npm run start:prod is sent SIGTERM (a supervisor or `docker stop` signals npm only)', async () => {
    const { databaseUrl, prefix } = await freshStore();
    const port = await freePort();
    const npm = spawn('npm', ['run', '--silent', 'start:prod'], {
      env: {
        PATH: process.env.PATH!,
        HOME: process.env.HOME ?? '/root',
        ...productionEnv({ databaseUrl, prefix }),
        LOG_LEVEL: 'warn',
        PORT: String(port),
      },
      stdio: 'ignore',
      detached: true, // a process group of its own, to end whatever is left of it below
    });
    const npmExited = new Promise((done) => npm.once('exit', done));
    const health = () => healthStatus(port);
    try {
      await waitFor(async () => (await health()) === 200, 60_000, 200);
      npm.kill('SIGTERM');
      await npmExited;
      // npm's shell used to die on the signal without passing it on: node went on serving, orphaned.
      await waitFor(async () => (await health()) === 'refused', 15_000, 200);
    } finally {
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
});
