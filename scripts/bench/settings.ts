// The benchmark's settings (BENCH_* knobs), paths and small shared helpers for `npm run bench`.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

// Compiled by tsconfig.bench.json to dist-bench/scripts/bench/, next to dist-bench/test/support.
/** dist-bench/scripts/bench: where floor-server.js and exit-on-signal.js are. */
export const benchDir = import.meta.dirname;
export const root = resolve(benchDir, '..', '..', '..');

export const WEBHOOK_PATH = '/api/v1/webhooks/github';
export const REPO = { fullName: 'Codertocat/Hello-World', id: 186853002 }; // the example payload's repository
export const PR_BASE = 1000;
/** Other processes keeping the machine busier than this (percent) make the figures unreliable: warned about. */
export const OTHER_WORK_WARN_PCT = 10;
/** Nectr tuning variables passed on from this environment. */
export const PASS_THROUGH = [
  'REVIEW_CONCURRENCY',
  'DATABASE_POOL_SIZE',
  'REVIEW_ATTEMPTS',
  'REVIEW_BACKOFF_MS',
  'GITHUB_RETRY_BASE_MS',
  'GITHUB_TIMEOUT_MS',
  'DEDUPE_WINDOW_MINUTES',
  'SWEEP_INTERVAL_SECONDS',
  'STUCK_AFTER_SECONDS',
  'UV_THREADPOOL_SIZE',
  'WEBHOOK_FAST_PATH',
  'WEBHOOK_UNVERIFIED_BUDGET_MB',
  'WEBHOOK_MIN_KB_PER_SECOND',
  'HTTP_MAX_CONNECTIONS',
];

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

export const settings = {
  duration: numberFromEnv('BENCH_DURATION', 10),
  /** Floor and Nectr measured in turn this many times; the ratio judged is the median round's. */
  rounds: Math.max(1, Math.round(numberFromEnv('BENCH_ROUNDS', 3))),
  connections: Math.max(1, Math.round(numberFromEnv('BENCH_CONNECTIONS', 20))),
  warmup: numberFromEnv('BENCH_WARMUP', 2),
  bodies: Math.max(1, Math.round(numberFromEnv('BENCH_BODIES', 150_000))),
  drainTimeout: numberFromEnv('BENCH_DRAIN_TIMEOUT', 1200),
  cpuProf: ['1', 'true', 'yes'].includes((process.env.BENCH_CPU_PROF ?? '').toLowerCase()),
  cpuProfDir: resolve(process.env.BENCH_CPU_PROF_DIR ?? join(root, 'dist-bench', 'profiles')),
  /**
   * The node that runs the servers measured (the floor, Nectr, the drain's worker). The load generator
   * stays on the node running this script, so a runtime is compared with the same load on both sides.
   */
  serverNode: process.env.BENCH_NODE || process.execPath,
};

/** `settings.serverNode --version`, e.g. v24.1.0. */
export function serverNodeVersion(): string {
  if (settings.serverNode === process.execPath) return process.version;
  const probe = spawnSync(settings.serverNode, ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0)
    throw new Error(`BENCH_NODE=${settings.serverNode} does not run: ${probe.error?.message ?? probe.stderr}`);
  return probe.stdout.trim();
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
export const log = (line: string) => console.log(`bench: ${line}`);
