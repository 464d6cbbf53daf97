// The load for `npm run bench`: autocannon posting signed deliveries, with the CPU it cost.
import { createRequire } from 'node:module';
import { cpuMeter } from './cpu.js';
import type { Delivery } from './deliveries.js';
import { checkInterrupted, setCurrentLoad } from './processes.js';
import { log, settings, WEBHOOK_PATH } from './settings.js';

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
type RequestSpec = {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  [key: string]: unknown;
};
type Autocannon = (
  options: Record<string, unknown>,
  done: (error: Error | null, result: LoadResult) => void,
) => LoadInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

function runLoad(port: number, take: () => Delivery, seconds: number): Promise<LoadResult> {
  return new Promise((done, fail) => {
    const instance = autocannon(
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
              return { ...request, method: 'POST', path: WEBHOOK_PATH, headers: next.headers, body: next.body };
            },
          },
        ],
      },
      (error, result) => {
        setCurrentLoad(undefined);
        if (error) fail(error);
        else done(result);
      },
    );
    setCurrentLoad(() => instance.stop());
  });
}

export async function postOnce(port: number, delivery: Delivery): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });
  return { status: res.status, body: await res.text() };
}

export interface Measured {
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
  /** The machine's busy share (percent) that the server, Postgres, Redis and the load generator do not explain. */
  other_busy_pct: number;
}

/** A warm-up, then the measured run; `windowUs` is the measured run's span on process.hrtime (µs). */
export async function measure(
  label: string,
  port: number,
  pid: number,
  take: () => Delivery,
): Promise<Measured & { windowUs: [number, number] }> {
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
    other_busy_pct: usage.otherBusyPct,
  };
}
