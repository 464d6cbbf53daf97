// The report of `npm run bench`: a table for people and one `BENCH_JSON {...}` line for tools.
import { availableParallelism, loadavg } from 'node:os';
import type { Drained } from './drain.js';
import type { Measured } from './load.js';
import type { NectrProfiles } from './nectr.js';
import { printProfileSummary } from './profile-summary.js';
import { OTHER_WORK_WARN_PCT, serverNodeVersion, settings } from './settings.js';

export interface Results {
  runId: string;
  /** Date.now() when the run started. */
  started: number;
  busyBefore: number;
  bodyBytes: number;
  /** In the order measured; each round is a floor run, then a Nectr run. */
  rounds: Round[];
  drained: Drained;
  reviewsPosted: number;
  prsWithSeveralReviews: number;
  peakRssKb: number;
  /** Nectr's non-empty log lines while it ran (LOG_LEVEL=warn). */
  warnings: number;
  nectrOutput: string;
  signedOnTheFly: number;
  profiles: NectrProfiles | undefined;
}

export interface Round {
  floor: Measured;
  nectr: Measured;
}

const ratioOf = (r: Round) => (r.floor.rps > 0 ? Math.round((r.nectr.rps / r.floor.rps) * 1000) / 1000 : 0);

/** The round whose ratio is the median (the lower of the middle two for an even count). */
export function medianRound(rounds: Round[]): Round {
  const sorted = [...rounds].sort((a, b) => ratioOf(a) - ratioOf(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

const row = (name: string, m: Measured) =>
  `${name.padEnd(7)}${m.rps.toFixed(1).padStart(11)}${String(m.p50_ms).padStart(9)}${String(m.p99_ms).padStart(9)}` +
  `${String(m.non2xx).padStart(9)}${String(m.errors + m.timeouts).padStart(8)}${String(m.requests).padStart(10)}` +
  `${`${m.server_cpu_pct}%`.padStart(9)}${(m.db_cpu_pct === null ? 'n/a' : `${m.db_cpu_pct}%`).padStart(10)}` +
  `${`${m.client_cpu_pct}%`.padStart(8)}${`${m.machine_busy_pct}%`.padStart(9)}${`${m.other_busy_pct}%`.padStart(7)}`;

export function printReport(r: Results): void {
  const { busyBefore, peakRssKb, warnings } = r;
  const median = medianRound(r.rounds);
  const { floor: floorResult, nectr: nectrResult } = median;
  const nectrRuns = r.rounds.map((round) => round.nectr);
  const { atIngestEnd, now, timedOut, drainMs, usage: drainUsage } = r.drained;
  const lazily = r.signedOnTheFly;
  const ratio = ratioOf(median);
  const reviewedDuringDrain = now.completed - atIngestEnd.completed;
  const drain = {
    accepted: now.total,
    reviews_posted: r.reviewsPosted,
    completed: now.completed,
    failed: now.failed,
    other_status: now.other,
    left: now.open,
    open_at_ingest_end: atIngestEnd.open,
    drain_s: Math.round(drainMs / 100) / 10,
    reviews_per_s: drainMs > 0 ? Math.round((reviewedDuringDrain / (drainMs / 1000)) * 10) / 10 : 0,
    prs_with_several_reviews: r.prsWithSeveralReviews,
    timed_out: timedOut,
    server_cpu_pct: drainUsage.serverCorePct,
    db_cpu_pct: Number.isNaN(drainUsage.servicesCorePct) ? null : drainUsage.servicesCorePct,
    machine_busy_pct: drainUsage.machineBusyPct,
    other_busy_pct: drainUsage.otherBusyPct,
  };
  // Work by other processes during a measured run takes CPU from one side only: the ratio is then off.
  const disturbed = (['floor', 'nectr'] as const).filter((side) =>
    r.rounds.some((round) => round[side].other_busy_pct > OTHER_WORK_WARN_PCT),
  );
  // The ratio is the median round's; latency and errors count in every round.
  const goals = {
    ratio_ge_0_25: ratio >= 0.25,
    p99_le_50ms: nectrRuns.every((m) => m.p99_ms <= 50),
    zero_non2xx: nectrRuns.every((m) => m.non2xx === 0 && m.errors === 0 && m.timeouts === 0),
    all_drained: !timedOut && now.completed === now.total && r.reviewsPosted === now.total,
  };
  const serverNode = serverNodeVersion();
  const lines = [
    '',
    `Nectr webhook benchmark: ${settings.connections} connections, ${r.rounds.length} round(s) of floor then Nectr, ${settings.duration} s (+${settings.warmup} s warm-up) each, ` +
      `${r.bodyBytes}-byte signed pull_request.opened deliveries, ${nodes(serverNode)}, ${availableParallelism()} CPUs, ${busyBefore}% busy with other work before`,
    `round        req/s   p50 ms   p99 ms  non-2xx  errors  requests  srv cpu  pg+redis  client  machine  other   ratio`,
    ...r.rounds.flatMap((round, i) => [
      row(`${i + 1} floor`, round.floor),
      `${row(`${i + 1} nectr`, round.nectr)}${ratioOf(round).toFixed(3).padStart(8)}${round === median && r.rounds.length > 1 ? '  (median)' : ''}`,
    ]),
    `ratio nectr/floor (req/s${r.rounds.length > 1 ? `, the median of ${r.rounds.length} rounds` : ''}): ${ratio.toFixed(3)}   ` +
      `(goal >= 0.25: ${goals.ratio_ge_0_25 ? 'met' : 'NOT met'}; ` +
      `p99 <= 50 ms: ${goals.p99_le_50ms ? 'met' : 'NOT met'}; zero non-2xx: ${goals.zero_non2xx ? 'met' : 'NOT met'})`,
    `drain: ${drain.accepted} events accepted, ${drain.completed} completed, ${drain.reviews_posted} reviews posted, ` +
      `${drain.failed} failed, ${drain.left} left${timedOut ? ` (TIMED OUT after ${settings.drainTimeout} s)` : ''}`,
    `       ${drain.open_at_ingest_end} still open when the load stopped, drained in ${drain.drain_s} s = ${drain.reviews_per_s} reviews/s ` +
      `(all drained: ${goals.all_drained ? 'yes' : 'NO'})`,
    `       during the drain: the worker ${drain.server_cpu_pct}% of a core, Postgres+Redis ${drain.db_cpu_pct ?? 'n/a'}%, machine ${drain.machine_busy_pct}% busy (${drain.other_busy_pct}% other)`,
    `peak RSS of Nectr: ${(peakRssKb / 1024).toFixed(0)} MB (VmHWM)   Nectr log lines at LOG_LEVEL=warn: ${warnings}` +
      `${lazily ? `   deliveries signed on the fly: ${lazily}` : ''}`,
  ];
  if (lazily) {
    lines.push(
      `WARNING: Nectr's runs outran the ${settings.bodies} pre-signed deliveries (BENCH_BODIES) and the load generator signed ` +
        `${lazily} on the fly, taking CPU from Nectr: its rate is understated; raise BENCH_BODIES`,
    );
  }
  if (disturbed.length) {
    lines.push(
      `WARNING: other processes kept the machine more than ${OTHER_WORK_WARN_PCT}% busy during the ${disturbed.join(' and ')} run ` +
        `(column "other"): the ratio is not reliable; run again on a quiet machine`,
    );
  }
  console.log(lines.join('\n'));
  if (warnings)
    console.log(
      `first Nectr log lines:\n${r.nectrOutput
        .split('\n')
        .filter((l) => l.trim())
        .slice(0, 5)
        .map((l) => `  ${l.slice(0, 300)}`)
        .join('\n')}`,
    );
  if (r.profiles) {
    console.log(`\nprofile: ${r.profiles.file}`);
    printProfileSummary(r.profiles.ingest, r.rounds.length > 1 ? 'the last ingest run' : 'the ingest run');
    if (r.profiles.drain) {
      console.log(`\nthe drain's worker's profile: ${r.profiles.workerFile}`);
      printProfileSummary(r.profiles.drain, 'the drain (the worker)');
    }
  }
  const json = {
    run_id: r.runId,
    settings: {
      duration_s: settings.duration,
      rounds: settings.rounds,
      connections: settings.connections,
      warmup_s: settings.warmup,
      body_bytes: r.bodyBytes,
      cpu_prof: settings.cpuProf,
      node: serverNode,
      load_node: process.version,
      cpus: availableParallelism(),
      other_busy_before_pct: busyBefore,
      load_avg_1m: Math.round(loadavg()[0] * 100) / 100,
    },
    rounds: r.rounds.map((round) => ({ floor: round.floor, nectr: round.nectr, ratio: ratioOf(round) })),
    /** The median round's runs (the ratio's). */
    floor: floorResult,
    nectr: {
      ...nectrResult,
      peak_rss_mb: Math.round(peakRssKb / 1024),
      log_lines: warnings,
      signed_on_the_fly: lazily,
    },
    ratio,
    /** Whether other processes took CPU during a measured run (see the warning). */
    disturbed: disturbed.length > 0,
    drain,
    goals: { ...goals, all_met: Object.values(goals).every(Boolean) },
    total_s: Math.round((Date.now() - r.started) / 1000),
  };
  console.log(`BENCH_JSON ${JSON.stringify(json)}`);
}

/** The servers' node, and the load generator's when it differs (BENCH_NODE). */
function nodes(servers: string): string {
  return servers === process.version ? `node ${servers}` : `node ${servers} (the load generator on ${process.version})`;
}
