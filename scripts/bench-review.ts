// `npm run bench:review`: what one review costs. A 40-file PR is opened, then a push changes one
// file; for each review it prints the GitHub requests Nectr made (statuses included) and the
// characters it sent to a model engine. The real app runs against a real Postgres and Redis, the
// fake GitHub and the fake model server on loopback; nothing leaves the machine.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deliver, EXAMPLE_REPO, installRepo, pullRequestPayload, settledEvent } from '../test/support/deliveries.js';
import type { FakePullFile } from '../test/support/fake-github.js';
import { FakeModelServer, type RecordedModelRequest } from '../test/support/fake-models.js';
import { createTestApp, type TestApp } from '../test/support/test-app.js';
import { startPostgres, startRedis } from './services.js';

const REPO = EXAMPLE_REPO.fullName;
const NUMBER = 1;
const HEADS = ['1'.repeat(40), '2'.repeat(40)];
const GOALS = { inputRatio: 0.1, requests: 8 };

/** A file of 30 added lines of ordinary code. */
function sourceFile(i: number, extra: string[] = []): FakePullFile {
  const lines = Array.from({ length: 30 }, (_, n) => `export const value${i}_${n} = compute(${i}, ${n});`);
  lines.push(...extra);
  return {
    filename: `src/module${i}.ts`,
    status: 'added',
    additions: lines.length,
    deletions: 0,
    patch: [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n'),
  };
}

/** Characters of prompt text (system and messages) in one model request. */
function promptChars(request: RecordedModelRequest): number {
  const body = request.body as { system?: unknown; messages?: Array<{ content: unknown }> };
  const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value ?? ''));
  return text(body.system ?? '').length + (body.messages ?? []).reduce((n, m) => n + text(m.content).length, 0);
}

async function review(
  t: TestApp,
  hook: { hookId: number; secret: string },
  head: string,
  action: string,
  minute: number,
) {
  const payload = pullRequestPayload({ number: NUMBER, sha: head, action, updatedAt: `2026-11-29T10:0${minute}:00Z` });
  const res = await deliver(t, { event: 'pull_request', payload, ...hook });
  return settledEvent(t, (res.body as { event_id: string }).event_id, 60_000);
}

async function main(): Promise<void> {
  // The fake GitHub's checks against GitHub's contract are the e2e suites' (test/support/github-contract.ts).
  process.env.FAKE_GITHUB_CONTRACT = '0';
  const root = mkdtempSync(join(tmpdir(), 'nectr-bench-review-'));
  chmodSync(root, 0o755); // mkdtemp makes it 0700; Postgres runs as another user when we are root
  const [postgres, redis] = await Promise.all([
    startPostgres({ dir: join(root, 'pg'), persistent: false }),
    startRedis({ dir: join(root, 'redis'), appendOnly: false }),
  ]);
  process.env.NECTR_TEST_DATABASE_URL = postgres.url;
  process.env.NECTR_TEST_REDIS_URL = redis.url;
  const model = await new FakeModelServer().start();
  const t = await createTestApp({
    env: {
      REVIEW_ENGINE: 'openai',
      OPENAI_BASE_URL: model.openaiBaseUrl,
      OPENAI_API_KEY: 'sk-bench',
      REVIEW_MODEL: 'bench',
    },
  });
  try {
    const hook = await installRepo(t, REPO, EXAMPLE_REPO.id);
    const files = Array.from({ length: 40 }, (_, i) => sourceFile(i));
    t.github.addPull(REPO, { number: NUMBER, head: { sha: HEADS[0], ref: 'bench' }, files });
    const rows: Array<{ name: string; requests: Map<string, number>; total: number; chars: number; outcome: string }> =
      [];
    const measure = async (name: string, head: string, action: string, minute: number, finding: string) => {
      model.replyJson({
        summary: 'Bench.',
        findings: [{ path: finding, line: 31, severity: 'high', message: 'A finding.' }],
      });
      const before = t.github.requests.length;
      const modelBefore = model.requests.length;
      const event = await review(t, hook, head, action, minute);
      const requests = new Map<string, number>();
      for (const r of t.github.requests.slice(before)) {
        const route = `${r.method} ${r.path.replace(/[0-9a-f]{40}/g, '{sha}').replace(/\/\d+(\/|$)/g, '/{n}$1')}`;
        requests.set(route, (requests.get(route) ?? 0) + 1);
      }
      const chars = model.requests.slice(modelBefore).reduce((n, r) => n + promptChars(r), 0);
      const total = t.github.requests.length - before;
      rows.push({
        name,
        requests,
        total,
        chars,
        outcome: event.review_url ? 'review posted' : `no review (${event.note})`,
      });
    };

    files[7] = sourceFile(7, ['risky(1);']);
    t.github.repo(REPO).pulls.get(NUMBER)!.files = files;
    await measure('40-file PR opened', HEADS[0], 'opened', 1, 'src/module7.ts');
    const changed = sourceFile(12, ['risky(2);']);
    const range: FakePullFile = {
      ...changed,
      status: 'modified',
      additions: 1,
      patch: `@@ -30,1 +30,2 @@\n ${changed.patch!.split('\n')[30].slice(1)}\n+risky(2);`,
    };
    t.github.push(REPO, NUMBER, {
      sha: HEADS[1],
      files: files.map((f, i) => (i === 12 ? changed : f)),
      range: [range],
    });
    await measure('push changing one file', HEADS[1], 'synchronize', 2, 'src/module12.ts');

    for (const row of rows) {
      console.log(`\n${row.name}: ${row.outcome}`);
      console.log(`  GitHub requests: ${row.total}`);
      for (const [route, n] of row.requests) console.log(`    ${String(n).padStart(3)}  ${route}`);
      console.log(`  characters sent to the model: ${row.chars}`);
    }
    const ratio = rows[1].chars / rows[0].chars;
    const maxRequests = Math.max(...rows.map((r) => r.total));
    console.log(
      `\npush's model input / full review's: ${(ratio * 100).toFixed(1)} % (goal <= ${GOALS.inputRatio * 100} %)`,
    );
    console.log(`most GitHub requests for one review: ${maxRequests} (goal <= ${GOALS.requests})`);
    if (ratio > GOALS.inputRatio || maxRequests > GOALS.requests) process.exitCode = 1;
  } finally {
    await t.close();
    await model.stop();
    await Promise.all([postgres.stop(), redis.stop()]);
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
