// `npm run attack`: what an unauthenticated sender can cost Nectr's webhook intake, on this machine,
// against the production build (PROCESS_ROLE=api, APP_ENV=production), loopback only, each scenario
// bounded in time (ATTACK_SECONDS, default 10) and count. While each runs, a real signed delivery is
// sent every 250 ms on a new connection; the report gives their slowest answer and the api's peak RSS.
//   1. 200 concurrent 25 MB uploads with an unknown hook id      (refused at the headers)
//   2. 200 concurrent 25 MB uploads, valid hook id, bad signature (read under the unverified budget)
//   3. a gzip body with Expect: 100-continue                     (415, no 100 Continue)
//   4. ten 25 MB bodies without a hook id, declared and chunked   (CPU spent on them)
//   5. 20 000 idle connections                                    (real deliveries still served)
// Ends with one `ATTACK_JSON {...}` line. Builds dist/ first when it is missing or older than src/, as
// the bench does (BENCH_BUILD).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt } from './bench/build.js';
import { startDatastores } from './bench/datastores.js';
import { startFakeGitHub } from './bench/fake-github.js';
import { installRepo, startNectr } from './bench/nectr.js';
import { cleanup, lastResortCleanup, onSignal, startChild, stopChild } from './bench/processes.js';
import { flood, MB, upload } from './attack/clients.js';

const seconds = Number(process.env.ATTACK_SECONDS ?? 10);
const log = (line: string) => console.log(`attack: ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(match?.[1] ?? 0) / 1024);
}
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 10 ms
}
/** Peak RSS of `pid` while `work` runs, sampled every 100 ms. */
async function withPeakRss<T>(pid: number, work: () => Promise<T>): Promise<T & { peakRssMb: number }> {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
  try {
    return { ...(await work()), peakRssMb: peak };
  } finally {
    clearInterval(timer);
  }
}

/** Node's own figures from Nectr's /metrics: heap in use and external memory (Buffers), in MB. */
async function nodeMemoryMb(port: number, token: string): Promise<{ heapUsedMb: number; externalMb: number }> {
  const answer = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  const text = await answer.text();
  const mb = (name: string) =>
    Math.round(Number(new RegExp(`^nectr_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20);
  return { heapUsedMb: mb('nodejs_heap_size_used_bytes'), externalMb: mb('nodejs_external_memory_bytes') };
}

async function main(): Promise<void> {
  ensureBuilt();
  const { databaseUrl, redisUrl } = await startDatastores();
  const { github } = await startFakeGitHub();
  const nectr = await startNectr({ runId: randomBytes(4).toString('hex'), databaseUrl, redisUrl, github });
  const { hookId, secret } = await installRepo(nectr, github);
  const { port, pid } = nectr;
  const report: Record<string, unknown> = { baselineRssMb: rssMb(pid) };
  const realDeliveries = async () => {
    const sender = startChild('real deliveries', [join(import.meta.dirname, 'attack', 'real-child.js')], {
      PATH: process.env.PATH,
      REAL_PORT: String(port),
      REAL_HOOK_ID: String(hookId),
      REAL_SECRET: secret,
      REAL_SECONDS: String(seconds),
    });
    await sender.exited;
    return JSON.parse(/REAL (.*)/.exec(sender.output())?.[1] ?? 'null') as object | null;
  };
  const under = async (name: string, attack: (until: number) => Promise<object>) => {
    log(`${name}…`);
    const until = Date.now() + seconds * 1000;
    const result = await withPeakRss(pid, async () => {
      const [attacked, real] = await Promise.all([attack(until), realDeliveries()]);
      return { ...attacked, real };
    });
    await sleep(3000);
    report[name] = { ...result, rssAfter3sMb: rssMb(pid), after3s: await nodeMemoryMb(port, nectr.apiToken) };
    log(`${name}: ${JSON.stringify(report[name])}`);
  };

  const big = 25 * MB;
  await under('unknownHook', (until) => flood(port, 200, until, { hookId: 999_999_999, declare: true, bytes: big }));
  await under('badSignature', (until) => flood(port, 200, until, { hookId, declare: true, bytes: big }));

  const gzip = await upload(port, {
    hookId,
    declare: true,
    bytes: MB,
    headers: { 'Content-Encoding': 'gzip', Expect: '100-continue' },
  });
  report.gzip = { status: gzip.status, got100Continue: gzip.continued, bodyBytesSentBeforeAnswer: gzip.sent };
  log(`gzip: ${JSON.stringify(report.gzip)}`);

  const cpuBefore = cpuSeconds(pid);
  const noHookId = await Promise.all(
    Array.from({ length: 10 }, (_, i) => upload(port, { declare: i % 2 === 0, bytes: big })),
  );
  await sleep(500);
  report.noHookId = {
    statuses: noHookId.map((r) => r.status),
    apiCpuSeconds: Math.round((cpuSeconds(pid) - cpuBefore) * 100) / 100,
  };
  log(`noHookId: ${JSON.stringify(report.noHookId)}`);

  // The idle connections are opened first, then held while the real deliveries are sent.
  log('idleConnections…');
  const idle = await withPeakRss(pid, async () => {
    // Spread over processes: each may hold only as many sockets as its open-files limit.
    const holders = Array.from({ length: 4 }, () =>
      startChild('idle connections', [join(import.meta.dirname, 'attack', 'idle-child.js')], {
        PATH: process.env.PATH,
        IDLE_PORT: String(port),
        IDLE_COUNT: '5000',
      }),
    );
    const count = (word: string) =>
      holders.reduce(
        (n, h) => n + Number([...h.output().matchAll(new RegExp(`${word} (\\d+)`, 'g'))].pop()?.[1] ?? 0),
        0,
      );
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !holders.every((h) => h.output().includes('opened'))) await sleep(100);
    const opened = count('opened');
    const real = await realDeliveries();
    const result = { opened, failed: count('failed'), closedByNectr: count('closed'), real };
    await Promise.all(holders.map((h) => stopChild(h)));
    return result;
  });
  report.idleConnections = { ...idle, rssAfterMb: rssMb(pid) };
  log(`idleConnections: ${JSON.stringify(report.idleConnections)}`);

  console.log(`ATTACK_JSON ${JSON.stringify(report)}`);
}

process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));
process.on('exit', lastResortCleanup);
main()
  .then(() => cleanup())
  .catch(async (error: unknown) => {
    console.error(`attack: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await cleanup();
    process.exitCode = 1;
  });
