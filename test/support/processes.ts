// Nectr as production runs it: `node dist/src/main.js` (built by `npm test`) in its own process,
// so tests can kill it, restart it, and run api and worker roles side by side.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '../../scripts/services.js';
import { waitFor } from './test-app.js';

export const MAIN = resolve('dist/src/main.js');

export interface NectrProcess {
  child: ChildProcess;
  port: number;
  output(): string;
  /** Exit code, or the signal that ended it. */
  exited: Promise<number | string | null>;
  healthy(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<number | string | null>;
}

const running = new Set<ChildProcess>();

export async function startNectr(env: Record<string, string>): Promise<NectrProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH!, LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const exited = new Promise<number | string | null>((done) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      done(code ?? signal);
    }),
  );
  return {
    child,
    port,
    exited,
    output: () => output,
    async healthy() {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`)).status === 200, 30_000, 200);
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** `npm run secrets:rekey` as an operator runs it (from dist/): exit code and output. */
export function rekeyCommand(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [resolve('dist/src/secrets-rekey.js'), ...args], {
    env: { PATH: process.env.PATH!, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  return new Promise((done) => child.once('exit', (code) => done({ code, output })));
}

/** Kills whatever a test file left running. */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** The status `/health` answers on this port, or 'refused' when nothing listens there. */
export function healthStatus(port: number): Promise<number | 'refused'> {
  return fetch(`http://127.0.0.1:${port}/health`).then(
    (res) => res.status,
    () => 'refused' as const,
  );
}
