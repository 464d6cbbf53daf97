// Samples for `npm run soak`: each process's heap after a full GC, RSS and active handles (from the
// probe), Postgres and Redis connections; the table and the growth per review after warm-up.
import { connect } from 'node:net';
import type pg from 'pg';
import { call } from './http.js';

interface Reading {
  heapUsed: number;
  rss: number;
  external: number;
  resources: Record<string, number>;
}

export interface Sample {
  seconds: number;
  reviews: number;
  deliveries: number;
  api: Reading;
  worker: Reading;
  pg: number;
  redis: number;
}

export async function probe(port: number): Promise<Reading> {
  const answer = await call(port, 'GET', '/');
  if (answer.status !== 200) throw new Error(`the soak probe answered ${answer.status}`);
  return JSON.parse(answer.body) as Reading;
}

/** Connections to Nectr's database, less the soak's own. */
export async function pgConnections(db: pg.Client): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  return rows[0].n;
}

/** Redis's connected_clients, less the one asking. */
export function redisClients(url: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port || 6379), hostname || '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /connected_clients:(\d+)/.exec(text);
      if (match) {
        socket.destroy();
        resolve(Number(match[1]) - 1);
      }
    });
    socket.on('error', reject);
    socket.write('INFO clients\r\n');
  });
}

const handles = (r: Reading) => Object.values(r.resources).reduce((a, b) => a + b, 0);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den ? num / den : NaN;
}

export function printSamples(samples: Sample[], warmupReviews: number): Record<string, number> {
  console.log(
    [
      's',
      'reviews',
      'deliveries',
      'api heap MB',
      'api RSS MB',
      'api handles',
      'worker heap MB',
      'worker RSS MB',
      'worker handles',
      'pg conns',
      'redis clients',
    ].join('\t'),
  );
  for (const s of samples)
    console.log(
      [
        s.seconds,
        s.reviews,
        s.deliveries,
        mb(s.api.heapUsed),
        mb(s.api.rss),
        handles(s.api),
        mb(s.worker.heapUsed),
        mb(s.worker.rss),
        handles(s.worker),
        s.pg,
        s.redis,
      ].join('\t'),
    );
  const after = samples.filter((s) => s.reviews >= warmupReviews);
  const reviews = after.map((s) => s.reviews);
  const deliveries = after.map((s) => s.deliveries);
  const result = {
    samplesAfterWarmup: after.length,
    apiHeapBytesPerDelivery: slope(
      deliveries,
      after.map((s) => s.api.heapUsed),
    ),
    apiRssBytesPerDelivery: slope(
      deliveries,
      after.map((s) => s.api.rss),
    ),
    workerHeapBytesPerReview: slope(
      reviews,
      after.map((s) => s.worker.heapUsed),
    ),
    workerRssBytesPerReview: slope(
      reviews,
      after.map((s) => s.worker.rss),
    ),
    apiHandlesPer1000Deliveries:
      1000 *
      slope(
        deliveries,
        after.map((s) => handles(s.api)),
      ),
    workerHandlesPer1000Reviews:
      1000 *
      slope(
        reviews,
        after.map((s) => handles(s.worker)),
      ),
  };
  console.log(`after warm-up (${warmupReviews} reviews), over ${after.length} samples:`);
  for (const [name, value] of Object.entries(result))
    if (name !== 'samplesAfterWarmup') console.log(`  ${name}: ${value.toFixed(1)}`);
  const last = samples.at(-1);
  if (last) {
    console.log(`  api handles by type at the end: ${JSON.stringify(last.api.resources)}`);
    console.log(`  worker handles by type at the end: ${JSON.stringify(last.worker.resources)}`);
  }
  return result;
}
