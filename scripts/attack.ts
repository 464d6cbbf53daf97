// `npm run attack`: what an unauthenticated sender can cost Nectr's webhook intake, on this machine,
// against the production build (PROCESS_ROLE=api, APP_ENV=production), loopback only, each scenario
// bounded in time (ATTACK_SECONDS, default 10) and count. While each runs, a real signed delivery is
// sent every 250 ms on a new connection; the report gives their slowest answer and the api's peak RSS.
//   1. 200 concurrent 25 MB uploads with an unknown hook id      (refused at the headers)
//   2. 200 concurrent 25 MB uploads, valid hook id, bad signature (read under the unverified budget)
//   3. a gzip body with Expect: 100-continue                     (415, no 100 Continue)
//   4. ten 25 MB bodies without a hook id, declared and chunked   (CPU spent on them)
//   5. 20 000 idle connections                                    (real deliveries still served)
// Ends with one `ATTACK_JSON {...}` line. Needs `npm run build` (dist/) like the bench.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ensureBuilt } from './bench/build.js';
import { startDatastores } from './bench/datastores.js';
import { startFakeGitHub } from './bench/fake-github.js';
import { installRepo, startNectr } from './bench/nectr.js';
import { cleanup, lastResortCleanup, onSignal } from './bench/processes.js';
import { flood, idleConnections, MB, realTraffic, upload } from './attack/clients.js';

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

async function main(): Promise<void> {
  ensureBuilt();
  // 20 000 idle connections need more descriptors than this machine's default; as root, raise ours.
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), '--nofile=65536:65536']);
  } catch {
    log('warning: could not raise the open-files limit (prlimit); the idle-connections scenario may fall short');
  }
  const { databaseUrl, redisUrl } = await startDatastores();
  const { github } = await startFakeGitHub();
  const nectr = await startNectr({ runId: randomBytes(4).toString('hex'), databaseUrl, redisUrl, github });
  const { hookId, secret } = await installRepo(nectr, github);
  const { port, pid } = nectr;
  const report: Record<string, unknown> = { baselineRssMb: rssMb(pid) };
  const under = async (name: string, attack: (until: number) => Promise<object>) => {
    log(`${name}…`);
    const until = Date.now() + seconds * 1000;
    const result = await withPeakRss(pid, async () => {
      const [attacked, real] = await Promise.all([attack(until), realTraffic(port, hookId, secret, until)]);
      return { ...attacked, real };
    });
    await sleep(3000);
    report[name] = { ...result, rssAfter3sMb: rssMb(pid) };
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

  await under('idleConnections', async () => {
    const idle = await idleConnections(port, 20_000);
    const opened = idle.sockets.length - idle.failed();
    await sleep(1000);
    const result = { opened, closedByNectr: idle.closed(), failed: idle.failed() };
    for (const socket of idle.sockets) socket.destroy();
    return result;
  });

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
