// `npm run soak`: the api and worker processes as production runs them, fed many thousands of
// deliveries and reviews across hundreds of repositories, to tell memory or handles that grow
// without bound from noise (docs/performance.md, "Soak"). In order:
//   1. builds Nectr when dist/ is older than src/, starts Postgres, Redis and the fake GitHub as
//      `npm run bench` does (scripts/bench/), then an api and a worker process from dist/ with
//      start:prod's node flags plus scripts/soak/probe.ts (--import), which reports heap after a
//      forced GC, RSS and active handles on 127.0.0.1 only;
//   2. installs SOAK_REPOS repositories (200) through the API;
//   3. in batches of 100 new PRs (every fourth also pushed to), with bad signatures, unknown hooks,
//      pings, API calls and sessions from 250 loopback addresses, metrics scrapes and 3% of PR reads
//      failing on the fake GitHub (502, some 404), keeping the queue short, until SOAK_REVIEWS
//      reviews (2000) are posted or SOAK_MAX_SECONDS (300) pass; samples SOAK_SAMPLES times (10);
//      with SOAK_SNAPSHOTS=1, heap snapshots of both processes after warm-up and at the end;
//   4. prints the samples, the growth per delivery (api) and per review (worker) after the first
//      quarter, and a `SOAK_JSON {...}` line; stops everything it started, also on failure and Ctrl-C.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { ensureBuilt } from './bench/build.js';
import { startDatastores } from './bench/datastores.js';
import { startFakeGitHub, type FakeGitHubLike } from './bench/fake-github.js';
import { startNectr } from './bench/nectr.js';
import { checkInterrupted, onStop, runScript, startChild, stopChild, waitHealthy } from './bench/processes.js';
import { log, root, sleep } from './bench/settings.js';
import { productionNodeFlags } from './node-flags.js';
import { call } from './soak/http.js';
import { pgConnections, printSamples, probe, redisClients, type Sample } from './soak/samples.js';
import { installRepos, Traffic } from './soak/traffic.js';
import { freePort } from './services.js';

function setting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

const settings = {
  reviews: setting('SOAK_REVIEWS', 2000),
  repos: setting('SOAK_REPOS', 200),
  maxSeconds: setting('SOAK_MAX_SECONDS', 300),
  samples: setting('SOAK_SAMPLES', 10),
  /** Heap snapshots of both processes (in the temp dir) after warm-up and at the end, each once the queue is empty. */
  snapshots: process.env.SOAK_SNAPSHOTS === '1',
};
const BATCH = 100;
/** New PRs wait while this many events are still open: the samples measure a steady state, not a backlog. */
const MAX_OPEN = 300;

function reviewsPosted(github: FakeGitHubLike): number {
  let n = 0;
  for (const repo of github.repos.values()) for (const list of repo.reviews.values()) n += list.length;
  return n;
}

async function main(): Promise<void> {
  ensureBuilt();
  const runId = randomBytes(4).toString('hex');
  const started = Date.now();
  const deadline = started + settings.maxSeconds * 1000;
  const probeUrl = pathToFileURL(join(import.meta.dirname, 'soak', 'probe.js')).href;
  const { databaseUrl, redisUrl } = await startDatastores();
  const { github, riskyFiles } = await startFakeGitHub();
  const apiProbe = await freePort();
  const nectr = await startNectr({
    runId,
    databaseUrl,
    redisUrl,
    github,
    extraEnv: {
      SOAK_PROBE_PORT: String(apiProbe),
      API_RATE_LIMIT_PER_MINUTE: '100000',
      GITHUB_RETRY_BASE_MS: '10',
      REVIEW_BACKOFF_MS: '200',
    },
    extraNodeArgs: ['--import', probeUrl],
  });
  const workerProbe = await freePort();
  const workerPort = await freePort();
  const worker = startChild(
    'worker',
    [...productionNodeFlags(root), '--import', probeUrl, join(root, 'dist', 'src', 'main.js')],
    {
      ...nectr.env,
      PROCESS_ROLE: 'worker',
      PORT: String(workerPort),
      REVIEW_CONCURRENCY: process.env.REVIEW_CONCURRENCY ?? '8', // as the bench's drain
      SOAK_PROBE_PORT: String(workerProbe),
    },
  );
  onStop('worker', () => stopChild(worker));
  await waitHealthy('worker', workerPort, worker);
  log(`probes: api on 127.0.0.1:${apiProbe}, worker on 127.0.0.1:${workerProbe} (GET /snapshot for a heap snapshot)`);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  onStop('database client', () => db.end());

  log(`installing ${settings.repos} repositories…`);
  const repos = await installRepos(nectr, github, settings.repos);
  github.chaos = (method, path) => {
    if (method !== 'GET' || !/\/pulls\/\d+$/.test(path)) return undefined;
    const roll = Math.random();
    return roll < 0.025 ? { status: 502 } : roll < 0.03 ? { status: 404 } : undefined;
  };
  const traffic = new Traffic(nectr, github, repos, riskyFiles(), runId);
  const open = async () =>
    (
      await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM events WHERE status IN ('pending', 'processing') AND delivery_id LIKE $1",
        [`soak-${runId}-%`],
      )
    ).rows[0].n;

  const samples: Sample[] = [];
  const sample = async () => {
    const s: Sample = {
      seconds: Math.round((Date.now() - started) / 1000),
      reviews: reviewsPosted(github),
      deliveries: traffic.totals().deliveries,
      api: await probe(apiProbe),
      worker: await probe(workerProbe),
      pg: await pgConnections(db),
      redis: await redisClients(redisUrl),
    };
    samples.push(s);
    log(
      `sample: ${s.reviews} reviews, ${s.deliveries} deliveries, api heap ${(s.api.heapUsed / 1048576).toFixed(1)} MB, worker heap ${(s.worker.heapUsed / 1048576).toFixed(1)} MB`,
    );
  };
  const snapshot = async (when: string) => {
    if (!settings.snapshots) return;
    // A snapshot stops the process for seconds: taken between reviews, not in a transaction.
    while ((await open()) > 0) await sleep(200);
    for (const [name, port] of [
      ['api', apiProbe],
      ['worker', workerProbe],
    ] as const)
      log(`heap snapshot of the ${name} ${when}: ${(await call(port, 'GET', '/snapshot')).body}`);
  };
  await sample();
  const every = settings.reviews / settings.samples;
  const warmup = settings.reviews / 4;
  let snapshotTaken = false;
  let nextSample = every;
  let first = 0;
  let timedOut = false;
  while (reviewsPosted(github) < settings.reviews) {
    checkInterrupted();
    if (Date.now() > deadline) {
      timedOut = true;
      break;
    }
    await traffic.batch(first, BATCH);
    first += BATCH;
    github.rateLimitRemaining = 5000;
    github.requests.length = 0; // the fake records every call; the soak never reads them
    while ((await open()) > MAX_OPEN && Date.now() < deadline) await sleep(200);
    if (reviewsPosted(github) >= nextSample) {
      await sample();
      nextSample += every;
    }
    if (!snapshotTaken && reviewsPosted(github) >= warmup) {
      await snapshot('after warm-up');
      snapshotTaken = true;
    }
  }
  while ((await open()) > 0 && Date.now() < deadline + 60_000) await sleep(200);
  await sample();
  await snapshot('at the end');
  const result = printSamples(samples, warmup);
  const totals = traffic.totals();
  const { rows } = await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM events WHERE delivery_id LIKE $1 GROUP BY 1 ORDER BY 1',
    [`soak-${runId}-%`],
  );
  log(`events by status: ${rows.map((r) => `${r.status} ${r.n}`).join(', ')}`);
  log(`traffic: ${JSON.stringify(totals)}${timedOut ? ` (stopped at SOAK_MAX_SECONDS=${settings.maxSeconds})` : ''}`);
  console.log(`SOAK_JSON ${JSON.stringify({ runId, settings, timedOut, totals, ...result, samples })}`);
}

runScript('soak', main);
