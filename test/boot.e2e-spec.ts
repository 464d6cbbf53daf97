// Production starts `dist/src/main.js` with node (npm run start:prod adds V8 flags); these
// tests run that very file (built by `npm test`) to prove the compiled ES modules boot, refuse bad
// config and migrate.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { killAll, MAIN, startNectr } from './support/processes.js';
import { API_TOKEN, freshStore, SECRETS_KEY } from './support/test-app.js';

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

  it('refuses to boot without DATABASE_URL', async () => {
    const run = await startNectr({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/^Invalid configuration: DATABASE_URL is required/);
  });

  it('boots in production, applies migrations once with two instances starting together, and answers /health', async () => {
    const { databaseUrl, prefix } = await freshStore();
    const env = {
      APP_ENV: 'production',
      API_TOKEN,
      SECRETS_KEY,
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.NECTR_TEST_REDIS_URL!,
      QUEUE_PREFIX: prefix,
    };
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
});
