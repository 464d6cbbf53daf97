// `npm run bench:engine`: the builtin engine's time on a 300-file pull request, every file's
// content fetched from a fake GitHub over HTTP through FileContentReader (the real client, retry
// and throttling included). The files are this repository's own sources, so the mix of code,
// comments and tests is a real one. Engine time = engine.review(), fetches included.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGithubClient } from '../../src/github/octokit.factory.js';
import { BuiltinEngine } from '../../src/review/engines/builtin/builtin.engine.js';
import type { ReviewFile } from '../../src/review/engines/review-engine.js';
import { FileContentReader } from '../../src/review/file-content.reader.js';
import { FakeGitHub } from '../../test/support/fake-github.js';
import { REPO_ROOT } from './evaluate.js';

const FILES = 300;
const root = fileURLToPath(REPO_ROOT);
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : /\.ts$/.test(name) ? [path] : [];
  });
const sources = [...walk(join(root, 'src')), ...walk(join(root, 'test'))].map((path) => ({
  path: relative(root, path),
  content: readFileSync(path, 'utf8'),
}));

// No contract checks: they would run in the measured process.
const github = await new FakeGitHub({ contract: false }).start();
try {
  github.addRepo('acme/shop');
  const files = Array.from({ length: FILES }, (_, i) => {
    const source = sources[i % sources.length];
    const lines = source.content.split('\n');
    const filename = `copy${Math.floor(i / sources.length)}/${source.path}`;
    return {
      filename,
      status: 'added',
      additions: lines.length,
      deletions: 0,
      patch: [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n'),
      content: source.content,
    };
  });
  const sha = 'b'.repeat(40);
  github.addPull('acme/shop', { number: 1, head: { sha, ref: 'big' }, files });
  const client = createGithubClient({
    token: github.token,
    apiUrl: github.url,
    retryBaseMs: 10,
    writeIntervalMs: 0,
    timeoutMs: 10_000,
  });
  const engine = await BuiltinEngine.create();
  const reviewFiles: ReviewFile[] = files.map(({ content: _content, ...file }) => file);
  const lines = files.reduce((n, f) => n + f.additions, 0);
  for (const run of [1, 2, 3]) {
    const reader = new FileContentReader(client).at('acme', 'shop', sha);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = await engine.review({
      repo: 'acme/shop',
      number: 1,
      title: 'big',
      body: null,
      headSha: sha,
      files: reviewFiles,
      readFile: reader,
    });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    console.log(
      `run ${run}: ${FILES} files, ${lines} added lines, ${github.calls('GET', /\/contents\//).length} content fetches so far, ` +
        `${result.findings.length} findings, engine time ${seconds.toFixed(2)} s (CPU ${cpuSeconds.toFixed(2)} s, ` +
        `fake GitHub included; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`,
    );
  }
} finally {
  await github.stop();
}
