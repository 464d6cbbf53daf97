// Nectr for `npm run bench`, as production runs it (`npm run start:prod`'s node flags, APP_ENV=production,
// PROCESS_ROLE=api), with the example repository installed; optionally under --cpu-prof.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { productionNodeFlags } from '../node-flags.js';
import { freePort } from '../services.js';
import { rssSampler } from './cpu.js';
import type { FakeGitHubLike } from './fake-github.js';
import { summariseProfile, type ProfileSummary } from './profile-summary.js';
import { onStop, profilingArgs, startChild, stopProfiled, waitHealthy, type Child } from './processes.js';
import { log, PASS_THROUGH, REPO, root, settings } from './settings.js';

export interface Nectr {
  child: Child;
  pid: number;
  port: number;
  /** Nectr's environment, which the drain's worker starts from. */
  env: NodeJS.ProcessEnv;
  peakRssSampledKb: () => number;
}

export async function startNectr(o: {
  runId: string;
  databaseUrl: string;
  redisUrl: string;
  github: FakeGitHubLike;
  /** More environment and node flags (`npm run soak`'s probe). */
  extraEnv?: NodeJS.ProcessEnv;
  extraNodeArgs?: string[];
}): Promise<Nectr & { apiToken: string }> {
  const apiToken = randomBytes(24).toString('hex');
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    APP_ENV: 'production',
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: o.redisUrl,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    API_TOKEN: apiToken,
    GITHUB_TOKEN: o.github.token,
    GITHUB_API_URL: o.github.url,
    GITHUB_WRITE_INTERVAL_MS: '0',
    LOG_LEVEL: 'warn', // any warning stands out in the report; the default, info, measured within the noise (README)
    PORT: String(port),
    REVIEW_ENGINE: 'builtin',
    // Production's split: this process takes webhooks; a worker process, started for the drain,
    // reviews. Measured apart, neither steals the other's CPU on a 2-core machine.
    PROCESS_ROLE: 'api',
  };
  if (process.env.REDIS_URL) env.QUEUE_PREFIX = `bench_${o.runId}`; // a shared Redis: keep to our own keys
  for (const knob of PASS_THROUGH) if (process.env[knob]) env[knob] = process.env[knob];
  Object.assign(env, o.extraEnv);
  const nodeArgs = [...productionNodeFlags(root), ...(o.extraNodeArgs ?? []), ...profilingArgs()];
  log(`starting Nectr (node ${[...nodeArgs, 'dist/src/main.js'].join(' ')}) on port ${port}…`);
  const child = startChild('Nectr', [...nodeArgs, join(root, 'dist', 'src', 'main.js')], env);
  const pid = child.child.pid!;
  onStop('Nectr', () => stopProfiled(child));
  const rss = rssSampler(pid);
  onStop('RSS sampler', () => Promise.resolve(rss.stop()));
  await waitHealthy('Nectr', port, child);
  return { child, pid, port, env, apiToken, peakRssSampledKb: rss.peakKb };
}

/** Installs the example repository through Nectr's API; the hook secret is what GitHub was given. */
export async function installRepo(
  nectr: { port: number; apiToken: string },
  github: FakeGitHubLike,
): Promise<{ hookId: number; secret: string }> {
  const install = await fetch(`http://127.0.0.1:${nectr.port}/api/v1/repos/${REPO.fullName}/install`, {
    method: 'POST',
    headers: { authorization: `Bearer ${nectr.apiToken}`, 'content-type': 'application/json' },
    body: '{}',
  });
  const installed = (await install.json()) as { hook_id?: number };
  if ((install.status !== 201 && install.status !== 200) || !installed.hook_id)
    throw new Error(`install failed: ${install.status} ${JSON.stringify(installed)}`);
  const hookId = installed.hook_id;
  const secret = github.repo(REPO.fullName).hooks.get(hookId)?.config.secret;
  if (!secret) throw new Error('the fake GitHub received no hook secret');
  log(`installed ${REPO.fullName} (hook ${hookId})`);
  return { hookId, secret };
}

export interface NectrProfiles {
  /** The api process's profile, summarised over the last ingest run. */
  file: string;
  ingest: ProfileSummary;
  /** The drain's worker's profile, summarised over the drain. */
  workerFile?: string;
  drain?: ProfileSummary;
}

function profileOf(pid: number): string | undefined {
  const file = readdirSync(settings.cpuProfDir)
    .filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${pid}.`))
    .map((f) => join(settings.cpuProfDir, f))[0];
  if (!file) console.error(`bench: no profile of pid ${pid} in ${settings.cpuProfDir}`);
  return file;
}

/**
 * With BENCH_CPU_PROF, the profiles the stopped api and worker wrote: the api's over the last ingest
 * window, the worker's over the drain (µs).
 */
export function nectrProfiles(
  apiPid: number,
  ingestWindowUs: [number, number],
  workerPid: number,
  drainWindowUs: [number, number],
): NectrProfiles | undefined {
  if (!settings.cpuProf) return undefined;
  const file = profileOf(apiPid);
  if (!file) return undefined;
  const workerFile = profileOf(workerPid);
  return {
    file,
    ingest: summariseProfile(file, { fromUs: ingestWindowUs[0], toUs: ingestWindowUs[1], top: 25 }),
    workerFile,
    drain: workerFile
      ? summariseProfile(workerFile, { fromUs: drainWindowUs[0], toUs: drainWindowUs[1], top: 25 })
      : undefined,
  };
}
