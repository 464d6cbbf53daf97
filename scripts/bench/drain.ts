// The drain for `npm run bench`: a worker process reviews until no event of this run is pending or
// processing (or BENCH_DRAIN_TIMEOUT passes), timed and metered.
import { join } from 'node:path';
import pg from 'pg';
import { productionNodeFlags } from '../node-flags.js';
import { freePort } from '../services.js';
import { cpuMeter, type CpuUsage } from './cpu.js';
import { checkInterrupted, onStop, profilingArgs, startChild, stopProfiled, waitHealthy } from './processes.js';
import { log, root, settings, sleep } from './settings.js';

export interface EventCounts {
  total: number;
  open: number;
  completed: number;
  failed: number;
  other: number;
}

export interface Drained {
  atIngestEnd: EventCounts;
  now: EventCounts;
  timedOut: boolean;
  drainMs: number;
  usage: CpuUsage;
  /** When the drain was measured to start and end, on process.hrtime (µs). */
  startUs: number;
  endUs: number;
  workerPid: number;
}

export async function drain(o: { runId: string; env: NodeJS.ProcessEnv; databaseUrl: string }): Promise<Drained> {
  const workerPort = await freePort();
  const workerEnv = {
    ...o.env,
    PROCESS_ROLE: 'worker',
    PORT: String(workerPort),
    REVIEW_CONCURRENCY: process.env.REVIEW_CONCURRENCY ?? '8',
  };
  log(`starting a worker (REVIEW_CONCURRENCY=${workerEnv.REVIEW_CONCURRENCY}) for the drain…`);
  const worker = startChild(
    'worker',
    [...productionNodeFlags(root), ...profilingArgs(), join(root, 'dist', 'src', 'main.js')],
    workerEnv,
  );
  onStop('worker', () => stopProfiled(worker));
  await waitHealthy('worker', workerPort, worker);
  const drainStarted = Date.now();
  const startUs = Number(process.hrtime.bigint() / 1000n);
  const db = new pg.Client({ connectionString: o.databaseUrl });
  await db.connect();
  onStop('database client', () => db.end());
  const counts = async () => {
    const { rows } = await db.query<EventCounts>(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE status IN ('pending', 'processing'))::int AS open,
              count(*) FILTER (WHERE status = 'completed')::int AS completed,
              count(*) FILTER (WHERE status = 'failed')::int AS failed,
              count(*) FILTER (WHERE status NOT IN ('pending', 'processing', 'completed', 'failed'))::int AS other
       FROM events WHERE delivery_id LIKE $1`,
      [`bench-${o.runId}-%`],
    );
    return rows[0];
  };
  // Whether any event of the run is still open, asked once a second: it stops at the first one the
  // status index finds. Counting the run's events reads the whole table, payloads included (a
  // second for 67 000 events), so counting every 200 ms kept a Postgres backend busy throughout
  // the drain it measured.
  const anyOpen = async () => {
    const { rows } = await db.query<{ open: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM events WHERE status IN ('pending', 'processing') AND delivery_id LIKE $1) AS open`,
      [`bench-${o.runId}-%`],
    );
    return rows[0].open;
  };
  const drainCpu = cpuMeter(worker.child.pid!);
  const atIngestEnd = await counts();
  log(`drain: ${atIngestEnd.open} of ${atIngestEnd.total} events still to review (timeout ${settings.drainTimeout} s)`);
  let timedOut = false;
  while (atIngestEnd.open > 0 && (await anyOpen())) {
    checkInterrupted();
    if (Date.now() - drainStarted > settings.drainTimeout * 1000) {
      timedOut = true;
      break;
    }
    await sleep(1000);
  }
  const drainMs = Date.now() - drainStarted;
  const usage = drainCpu();
  const endUs = Number(process.hrtime.bigint() / 1000n);
  const now = await counts();
  return { atIngestEnd, now, timedOut, drainMs, usage, startUs, endUs, workerPid: worker.child.pid! };
}
