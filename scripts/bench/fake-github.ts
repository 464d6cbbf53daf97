// The fake GitHub for `npm run bench`: test/support's, compiled alongside by tsconfig.bench.json and
// imported by path so the app build, which also compiles scripts/, never pulls test files in.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { onStop } from './processes.js';
import { REPO, root } from './settings.js';

interface FakeRepoLike {
  id: number;
  hooks: Map<number, { config: { secret?: string } }>;
  reviews: Map<number, unknown[]>;
}
export interface FakeGitHubLike {
  token: string;
  url: string;
  repos: Map<string, FakeRepoLike>;
  requests: unknown[];
  rateLimitRemaining: number;
  chaos?: (method: string, path: string) => { status: number } | undefined;
  start(): Promise<unknown>;
  stop(): Promise<void>;
  addRepo(fullName: string, id?: number): FakeRepoLike;
  addPull(fullName: string, pull: { number: number; files: unknown[]; head: { sha: string; ref: string } }): unknown;
  repo(fullName: string): FakeRepoLike;
  push(fullName: string, number: number, push: { sha: string; files: unknown[]; range?: unknown[] }): void;
}

async function loadSupport<T>(file: string): Promise<T> {
  const path = join(root, 'dist-bench', 'test', 'support', file);
  if (!existsSync(path))
    throw new Error(
      `${path} is missing: run the benchmark with \`npm run bench\` (it compiles tsconfig.bench.json first)`,
    );
  return (await import(pathToFileURL(path).href)) as T;
}

/** Starts the fake GitHub on 127.0.0.1 with the example repository; `riskyFiles` is test/support's PR diff. */
export async function startFakeGitHub(): Promise<{ github: FakeGitHubLike; riskyFiles: () => unknown[] }> {
  const { FakeGitHub } = await loadSupport<{ FakeGitHub: new (options: { contract: boolean }) => FakeGitHubLike }>(
    'fake-github.js',
  );
  const { riskyFiles } = await loadSupport<{ riskyFiles: () => unknown[] }>('pulls.js');
  // GitHub's contract is the e2e suites' to check; a measurement must not pay for it.
  const github = new FakeGitHub({ contract: false });
  await github.start();
  onStop('fake GitHub', () => github.stop());
  github.addRepo(REPO.fullName, REPO.id);
  return { github, riskyFiles };
}

/** Reviews posted on the fake GitHub, and how many PRs got more than one. */
export function countReviews(github: FakeGitHubLike): { reviewsPosted: number; prsWithSeveralReviews: number } {
  let reviewsPosted = 0;
  let prsWithSeveralReviews = 0;
  for (const list of github.repo(REPO.fullName).reviews.values()) {
    reviewsPosted += list.length;
    if (list.length > 1) prsWithSeveralReviews++;
  }
  return { reviewsPosted, prsWithSeveralReviews };
}
