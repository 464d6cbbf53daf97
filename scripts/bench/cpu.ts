// CPU and memory meters for `npm run bench`, read from /proc: a process, the Postgres + Redis this
// script started, the whole machine and this (client) process.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { sleep } from './settings.js';

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

export function memoryKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** Samples a process's RSS every 250 ms; the highest seen is `peakKb()`. */
export function rssSampler(pid: number): { peakKb: () => number; stop: () => void } {
  let peak = 0;
  const timer = setInterval(() => {
    const kb = memoryKb(pid, 'VmRSS');
    if (kb > peak) peak = kb;
  }, 250);
  return { peakKb: () => peak, stop: () => clearInterval(timer) };
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

export function addServicePid(pid: number): void {
  servicePids.push(pid);
}

function servicesCpuSeconds(): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const pid of servicePids.flatMap(processTree)) seconds.set(pid, processCpuSeconds(pid));
  return seconds;
}

export type CpuUsage = ReturnType<ReturnType<typeof cpuMeter>>;

/** CPU used by one process, our Postgres + Redis, the whole machine and this (client) process over a stretch of time. */
export function cpuMeter(pid: number) {
  const start = {
    proc: processCpuSeconds(pid),
    services: servicesCpuSeconds(),
    machine: machineCpu(),
    self: process.cpuUsage(),
    at: process.hrtime.bigint(),
  };
  return () => {
    const wall = Number(process.hrtime.bigint() - start.at) / 1e9;
    const machine = machineCpu();
    const self = process.cpuUsage(start.self);
    let services = 0;
    for (const [servicePid, now] of servicesCpuSeconds()) {
      const before = start.services.get(servicePid) ?? 0; // a backend started meanwhile counts whole
      if (Number.isFinite(now)) services += now - (Number.isFinite(before) ? before : 0);
    }
    const serverCorePct = Math.round(((processCpuSeconds(pid) - start.proc) / wall) * 100);
    const servicesCorePct = servicePids.length ? Math.round((services / wall) * 100) : NaN;
    const clientCorePct = Math.round(((self.user + self.system) / 1e6 / wall) * 100);
    const machineBusyPct = Math.round(
      ((machine.busy - start.machine.busy) / Math.max(1, machine.total - start.machine.total)) * 100,
    );
    const ours = serverCorePct + (Number.isNaN(servicesCorePct) ? 0 : servicesCorePct) + clientCorePct;
    return {
      serverCorePct,
      servicesCorePct,
      clientCorePct,
      machineBusyPct,
      /** The machine's busy share not explained by the processes measured here: other work (and the kernel's own). */
      otherBusyPct: Math.max(0, Math.round(machineBusyPct - ours / availableParallelism())),
    };
  };
}

/** How busy other work keeps the machine (percent), measured for a second with nothing of ours loaded. */
export async function otherWorkBusyPct(pid: number): Promise<number> {
  const quiet = cpuMeter(pid);
  await sleep(1000);
  return quiet().otherBusyPct;
}
