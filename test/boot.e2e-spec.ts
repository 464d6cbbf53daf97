// Production starts as `node dist/src/main.js` (npm run start:prod); these tests run that very
// file (built by `npm test`) to prove the compiled ES modules boot, refuse bad config and migrate.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { freePort } from '../scripts/services.js';
import { API_TOKEN, freshStore, SECRETS_KEY, waitFor } from './support/test-app.js';

const MAIN = resolve('dist/src/main.js');
const children: ChildProcess[] = [];

function boot(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | string | null> } {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH!, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<number | string | null>((done) => child.once('exit', (code, signal) => done(code ?? signal)));
  return { child, output: () => output, exited };
}

describe('npm run start:prod', () => {
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('has been built', () => {
    expect(existsSync(MAIN)).toBe(true);
  });

  it('refuses to boot in production without SECRETS_KEY, naming it in one line', async () => {
    const run = boot({ APP_ENV: 'production', API_TOKEN, DATABASE_URL: 'postgres://x@127.0.0.1:1/x', REDIS_URL: 'redis://127.0.0.1:1' });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe('Invalid configuration: SECRETS_KEY is required when APP_ENV=production');
  });

  it('refuses to boot without DATABASE_URL', async () => {
    const run = boot({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/^Invalid configuration: DATABASE_URL is required/);
  });

  it('boots in production, applies migrations once with two instances starting together, and answers /health', async () => {
    const { databaseUrl, prefix } = await freshStore();
    const ports = [await freePort(), await freePort()];
    const runs = ports.map((port) =>
      boot({
        APP_ENV: 'production', PORT: String(port), API_TOKEN, SECRETS_KEY, DATABASE_URL: databaseUrl,
        REDIS_URL: process.env.NECTR_TEST_REDIS_URL!, QUEUE_PREFIX: prefix,
      }),
    );
    for (const port of ports) {
      const health = await waitFor(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        return res.status === 200 ? res.json() : undefined;
      }, 30_000, 200);
      expect(health).toMatchObject({ status: 'ok' });
    }
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const applied = await client.query('SELECT name FROM migrations');
    const names = applied.rows.map((r: { name: string }) => r.name);
    expect(new Set(names).size).toBe(names.length);
    await client.end();
    for (const run of runs) {
      run.child.kill('SIGTERM');
      // Nest closes the app on SIGTERM, then re-raises the signal to end the process.
      expect([0, 'SIGTERM']).toContain(await run.exited);
    }
  });
});
