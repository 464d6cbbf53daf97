// `npm run bench`: how fast Nectr takes GitHub webhooks compared with the least a receiver can do,
// and how fast its worker then posts the reviews. One run, side by side, on this machine:
//   1. builds Nectr when dist/ is missing or older than src/ (BENCH_BUILD=auto|always|never);
//   2. starts Postgres + Redis as `npm run local` does (in a temp dir; or DATABASE_URL / REDIS_URL),
//      the fake GitHub from test/support on 127.0.0.1, and Nectr as production runs it
//      (`node dist/src/main.js` with start:prod's node flags, APP_ENV=production), then installs the
//      example repository;
//   3. floor: a bare node:http server that checks the signature (scripts/bench/floor-server.ts);
//      Nectr: the same signed, distinct `pull_request.opened` deliveries (GitHub's own example
//      payload), same autocannon settings; the two in turn, BENCH_ROUNDS times; then times the
//      drain until every accepted event has its review posted on the fake GitHub;
//   4. prints a table (a row per run, the ratio of each round, the median round's as the result)
//      and one `BENCH_JSON {...}` line;
//   5. stops everything it started, also on failure and Ctrl-C.
// Knobs: BENCH_DURATION (s, 10, each run), BENCH_ROUNDS (3), BENCH_CONNECTIONS (20), BENCH_WARMUP
// (s, 2, before each run), BENCH_BODIES (150000: the least pre-signed bodies ahead of each round,
// topped up to the fastest Nectr run's need), BENCH_DRAIN_TIMEOUT (s, 1200),
// BENCH_CPU_PROF=1 (profile Nectr and the drain's worker with --cpu-prof into BENCH_CPU_PROF_DIR,
// default dist-bench/profiles, and summarise the last Nectr run and the drain), BENCH_NODE (the
// node binary that runs the floor, Nectr and the worker; default: this one, which also runs the
// load). Nectr tuning variables (REVIEW_CONCURRENCY, DATABASE_POOL_SIZE, …) set in the environment
// are passed on.
// `npm run bench` runs this process, the load generator, with --initial-old-space-size=512: holding
// its pre-signed deliveries (~70 MB for 60 000), it otherwise fell in about a third of the runs into back-to-back full
// garbage collections while loading Nectr (one every 200–400 ms, taking ~40% of a core from the
// cores Nectr runs on), the slow mode start:prod's flag keeps the api process out of.
// The pieces live in scripts/bench/; this file is the run, in order.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ensureBuilt } from './bench/build.js';
import { memoryKb, otherWorkBusyPct } from './bench/cpu.js';
import { startDatastores } from './bench/datastores.js';
import { deliveryFactory, signedDeliveries } from './bench/deliveries.js';
import { drain } from './bench/drain.js';
import { countReviews, startFakeGitHub } from './bench/fake-github.js';
import { measure, postOnce, type Measured } from './bench/load.js';
import { installRepo, nectrProfiles, startNectr } from './bench/nectr.js';
import { checkInterrupted, onStop, runScript, startChild, stopChild, stopNow, waitUntil } from './bench/processes.js';
import { printReport, type Round } from './bench/report.js';
import { benchDir, log, OTHER_WORK_WARN_PCT, REPO, settings } from './bench/settings.js';
import { freePort } from './services.js';

/** One floor measurement on a new floor server (a bare node:http that checks the signature). */
async function measureFloor(
  secret: string,
  path: string | undefined,
  deliveries: ReturnType<typeof signedDeliveries>,
  label: string,
): Promise<Measured> {
  const floorPort = await freePort();
  const floor = startChild('floor', [join(benchDir, 'floor-server.js')], {
    PATH: path,
    FLOOR_SECRET: secret,
    PORT: String(floorPort),
  });
  onStop('floor server', () => stopChild(floor));
  await waitUntil('floor server', () => Promise.resolve(floor.output().includes('ready')), 10_000, floor);
  const floorCheck = await postOnce(floorPort, deliveries.first);
  if (floorCheck.status !== 200) throw new Error(`floor server answered ${floorCheck.status} ${floorCheck.body}`);
  const { windowUs: _window, ...result } = await measure(
    `floor${label}`,
    floorPort,
    floor.child.pid!,
    deliveries.cycling,
  );
  await stopNow('floor server');
  return result;
}

async function main(): Promise<void> {
  ensureBuilt();
  const runId = randomBytes(4).toString('hex');
  const started = Date.now();
  if (!process.execArgv.some((arg) => arg.startsWith('--initial-old-space-size'))) {
    log(
      'warning: run through `npm run bench`: without --initial-old-space-size the load generator can fall into back-to-back full GCs that take CPU from Nectr',
    );
  }

  const { databaseUrl, redisUrl } = await startDatastores();
  const { github, riskyFiles } = await startFakeGitHub();
  const nectr = await startNectr({ runId, databaseUrl, redisUrl, github });
  const { hookId, secret } = await installRepo(nectr, github);

  // Every PR number exists on the fake GitHub (with the same head) so the worker can review it.
  const make = deliveryFactory(runId, secret, hookId);
  const files = riskyFiles();
  const deliveries = signedDeliveries(make, settings.bodies, (i, number, sha) => {
    github.addPull(REPO.fullName, { number, files, head: { sha, ref: `bench-${i}` } });
  });
  checkInterrupted();

  // Other work on the machine skews every figure: measure how busy it is with nothing of ours loaded.
  const busyBefore = await otherWorkBusyPct(nectr.pid);
  if (busyBefore > OTHER_WORK_WARN_PCT)
    log(
      `warning: other processes keep the machine ${busyBefore}% busy before the load; figures will be lower and noisier`,
    );

  // a./b. The floor and Nectr in turn, BENCH_ROUNDS times: on a shared machine the speed of both
  // drifts from one minute to the next (the floor alone by up to 2x), so each round's ratio compares
  // runs seconds apart and the median round is the result. The floor is a new process each round.
  const nectrCheck = await postOnce(nectr.port, deliveries.distinct());
  if (nectrCheck.status !== 200 || !nectrCheck.body.includes('"received"'))
    throw new Error(`Nectr answered ${nectrCheck.status} ${nectrCheck.body}`);
  const rounds: Round[] = [];
  let ingestWindowUs: [number, number] = [0, 0];
  for (let round = 1; round <= settings.rounds; round++) {
    const label = settings.rounds > 1 ? ` (round ${round} of ${settings.rounds})` : '';
    // Enough distinct bodies for this round's Nectr run at a quarter above its fastest rate so far,
    // made now rather than signed on the fly under load; then the garbage of the bodies already
    // sent is collected here, not during the next measured run.
    const fastest = Math.max(0, ...rounds.map((r) => r.nectr.rps));
    deliveries.refill(Math.max(settings.bodies, Math.ceil(fastest * (settings.warmup + settings.duration) * 1.25)));
    collectGarbage();
    const floorResult = await measureFloor(secret, nectr.env.PATH, deliveries, label);
    const { windowUs, ...nectrResult } = await measure(`Nectr${label}`, nectr.port, nectr.pid, deliveries.distinct);
    ingestWindowUs = windowUs;
    rounds.push({ floor: floorResult, nectr: nectrResult });
  }

  // c. the drain: a worker process reviews until no event of this run is pending or processing.
  const drained = await drain({ runId, env: nectr.env, databaseUrl });
  const reviews = countReviews(github);
  const peakRssKb = Math.max(memoryKb(nectr.pid, 'VmHWM') || 0, nectr.peakRssSampledKb());
  const warnings = nectr.child
    .output()
    .split('\n')
    .filter((l) => l.trim()).length;

  // Stop Nectr and the worker now (a profiled one writes its profile on the way out).
  await stopNow('Nectr');
  await stopNow('worker');
  const profiles = nectrProfiles(nectr.pid, ingestWindowUs, drained.workerPid, [drained.startUs, drained.endUs]);

  printReport({
    runId,
    started,
    busyBefore,
    bodyBytes: deliveries.bodyBytes,
    rounds,
    drained,
    ...reviews,
    peakRssKb,
    warnings,
    nectrOutput: nectr.child.output(),
    signedOnTheFly: deliveries.signedOnTheFly(),
    profiles,
  });
}

/** A full collection between runs when node runs with --expose-gc (as `npm run bench` does). */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

runScript('bench', main);
