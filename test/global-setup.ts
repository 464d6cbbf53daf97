// Starts one real Postgres and one real Redis for the whole e2e run, unless DATABASE_URL and
// REDIS_URL point at servers already. Every test file then makes its own database and queue prefix.
import { chmodSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, startRedis, type RunningService } from '../scripts/services.ts'; // jest loads global setup as CommonJS, without the .js→.ts mapping

declare global {
  var __nectrServices: RunningService[] | undefined;
}

export default async function globalSetup(): Promise<void> {
  const services: RunningService[] = [];
  // Read by launchers.e2e-spec: starting the services must leave the temp folder's mode as it was.
  process.env.NECTR_TMP_MODE_BEFORE = String(statSync(tmpdir()).mode & 0o7777);
  // mkdtemp makes a 0700 folder; the postgres user (when we run as root) must be able to enter it.
  const root = mkdtempSync(join(tmpdir(), 'nectr-e2e-'));
  chmodSync(root, 0o755);
  process.env.NECTR_TEST_ROOT = root;
  const [pgResult, redisResult] = await Promise.allSettled([
    process.env.DATABASE_URL ? undefined : startPostgres({ dir: join(root, 'pg'), persistent: false }),
    process.env.REDIS_URL ? undefined : startRedis({ dir: join(root, 'redis'), appendOnly: false }),
  ]);
  for (const result of [pgResult, redisResult])
    if (result.status === 'fulfilled' && result.value) services.push(result.value);
  globalThis.__nectrServices = services;
  for (const result of [pgResult, redisResult]) {
    if (result.status === 'rejected') {
      for (const service of services) await service.stop().catch(() => undefined);
      throw new Error(`e2e services failed to start: ${String(result.reason ?? 'Postgres exited (see its log)')}`);
    }
  }
  const postgres = pgResult.status === 'fulfilled' ? pgResult.value : undefined;
  const redis = redisResult.status === 'fulfilled' ? redisResult.value : undefined;
  process.env.NECTR_TEST_DATABASE_URL = process.env.DATABASE_URL ?? postgres!.url;
  process.env.NECTR_TEST_REDIS_URL = process.env.REDIS_URL ?? redis!.url;
}
