// Model-based randomized histories of pull requests (REVIEW.md §1, §2, §4): seeded sequences of
// opens, pushes (fast-forward, amend, force-push to an unrelated history, revert, reset), edits of
// `.nectr.yml`, `/nectr pause|resume|review`, closes, reopens and redeliveries, sent one at a time
// or held and sent shuffled, through the real app with two workers against the fake GitHub. After
// each history the outcome is checked against a model computed from the history alone
// (support/histories/invariants.ts). A failing history is shrunk to a minimal one and printed.
//
//   HISTORY_SEED=7 HISTORY_RUNS=60 HISTORY_STEPS=16 npm run test:e2e -- --testPathPatterns review-histories
//   HISTORY_CASE=5 replays one history of the seed; HISTORY_JSON='{…}' plays a printed one;
//   HISTORY_TIES=0 keeps every push in a second of its own.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { commentPayload, deliver, EXAMPLE_REPO, installRepo, settledEvent } from './support/deliveries.js';
import { caseSeed, Rng } from './support/fuzz/rng.js';
import { LINE } from './support/patches.js';
import { HistoryDriver } from './support/histories/driver.js';
import { generateHistory, type History } from './support/histories/generator.js';
import { problems } from './support/histories/invariants.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const SEED = Number(process.env.HISTORY_SEED ?? 20261130);
const RUNS = Number(process.env.HISTORY_RUNS ?? 12);
const STEPS = Number(process.env.HISTORY_STEPS ?? 12);
const TIES = process.env.HISTORY_TIES !== '0';
const ONLY = process.env.HISTORY_CASE === undefined ? undefined : Number(process.env.HISTORY_CASE);

/** Minimal histories that once failed, kept as they were printed. */
const REGRESSIONS: Array<{ name: string; history: History }> = [
  {
    // GitHub stamps both pushes in the same second and delivers the newer first: the PR's head on
    // GitHub breaks the tie, so the newer head is reviewed and gets its status.
    name: 'two pushes in one second, the newer delivered first',
    history: {
      mode: 'burst',
      steps: [
        { kind: 'open', tree: { 'src/a.ts': ['export {};'] } },
        { kind: 'flush', order: 1 },
        { kind: 'push', how: 'ff', tree: { 'src/a.ts': ['export {};', 'debugger;'] } },
        {
          kind: 'push',
          how: 'ff',
          tree: { 'src/a.ts': ['export {};', 'debugger;'], 'src/b.ts': [LINE.B] },
          tie: true,
        },
        { kind: 'flush', order: 0 }, // order 0 swaps the two deliveries
      ],
    },
  },
  {
    // A `/nectr review`, a push removing c.ts (its thread resolved), a push adding one of its lines
    // back: the thread reopens, though the range from the last reviewed head (the command's) shows
    // that line as unchanged.
    name: 'a fix reverted after a /nectr review',
    history: {
      mode: 'settle',
      steps: [
        {
          kind: 'open',
          tree: { 'src/b.ts': ['export {};'], 'src/c.ts': ['debugger;', 'debugger;', 'export const two = 2;'] },
        },
        { kind: 'command', command: 'review' },
        {
          kind: 'push',
          how: 'ff',
          tree: { 'src/b.ts': ['// a note', LINE.B, 'export {};'], 'src/a.ts': ['export const one = 1;'] },
        },
        {
          kind: 'push',
          how: 'ff',
          tree: {
            'src/b.ts': ['// a note', LINE.B, 'export {};'],
            'src/a.ts': ['export const one = 1;'],
            'src/c.ts': ['debugger;'],
          },
        },
      ],
    },
  },
  {
    // src/c.ts is ignored when the PR opens; the push after `.nectr.yml` stops ignoring it changes
    // another file, and is reviewed whole: c.ts's finding is posted and counts in the status.
    name: 'a path .nectr.yml stops ignoring, then a push elsewhere',
    history: {
      mode: 'settle',
      steps: [
        { kind: 'config', name: 'ignore-c' },
        { kind: 'open', tree: { 'src/a.ts': ['export {};'], 'src/c.ts': ['debugger;'] } },
        { kind: 'config', name: 'none' },
        {
          kind: 'push',
          how: 'ff',
          tree: { 'src/a.ts': ['export {};'], 'src/c.ts': ['debugger;'], 'src/b.ts': ['export const b = 1;'] },
        },
      ],
    },
  },
];
// HISTORY_JSON='{"mode":…,"steps":[…]}' plays one printed history (and the seeded ones).
if (process.env.HISTORY_JSON)
  REGRESSIONS.push({ name: 'HISTORY_JSON', history: JSON.parse(process.env.HISTORY_JSON) as History });

describe(`review histories (HISTORY_SEED=${SEED})`, () => {
  let t: TestApp;
  let second: TestApp;
  let hook: { hookId: number; secret: string };
  let nextNumber = 2000;

  beforeAll(async () => {
    const env = { REVIEW_BACKOFF_MS: '100', GITHUB_RETRY_BASE_MS: '10', REPO_CONFIG_MISSING_TTL_SECONDS: '0' };
    t = await createTestApp({ env });
    second = await createTestApp({ env, role: 'worker', shareWith: t });
    hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    await t.http
      .post(`/api/v1/repos/${EXAMPLE_REPO.fullName}/install`)
      .set(t.auth)
      .send({ events: ['pull_request', 'issue_comment'] })
      .expect(200);
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  /** Runs a history on a new PR; the invariants' complaints, before and after a final `/nectr review`. */
  async function play(history: History): Promise<string[]> {
    t.github.repo(EXAMPLE_REPO.fullName).files?.delete('.nectr.yml');
    const driver = new HistoryDriver(t, hook, history, nextNumber++);
    for (const step of history.steps) await driver.step(step);
    await driver.flush();
    const { run } = driver;
    if (process.env.HISTORY_STATS)
      process.stdout.write(
        `#${run.number} ${history.mode} ${history.steps.map((s) => ('how' in s ? s.how : 'command' in s ? s.command : s.kind)).join(',')}` +
          ` judged=${run.judged && run.open} reviews=${t.github.reviewsOf(EXAMPLE_REPO.fullName, run.number).length}\n`,
      );
    const found = problems(t.github, run, run.judged && run.open && !driver.burstPaused).map(
      (p) => `after the history: ${p}`,
    );
    if (!run.open) return found;
    const payload = commentPayload(run.number, '/nectr review', { commentId: 800_000 + run.number });
    const res = await deliver(t, { event: 'issue_comment', payload, deliveryId: randomUUID(), ...hook }).expect(200);
    run.events.push(await settledEvent(t, res.body.event_id, 60_000));
    const after = problems(t.github, run, true).map((p) => `after /nectr review: ${p}`);
    return [...found, ...after];
  }

  /** Drops steps one at a time while the history still fails: a minimal failing history. */
  async function shrink(history: History): Promise<{ history: History; problems: string[] }> {
    let best = { history, problems: await play(history) };
    for (let budget = 40, shrunk = true; shrunk && budget > 0;) {
      shrunk = false;
      for (let i = best.history.steps.length - 1; i >= 1 && budget > 0; i--, budget--) {
        const candidate = { ...best.history, steps: best.history.steps.filter((_, j) => j !== i) };
        const found = await play(candidate);
        if (found.length > 0) {
          best = { history: candidate, problems: found };
          shrunk = true;
        }
      }
    }
    return best;
  }

  for (const { name, history } of REGRESSIONS)
    it(`kept history: ${name}`, async () => {
      expect(await play(history)).toEqual([]);
    });

  it(`${RUNS} histories of up to ${STEPS} steps keep every invariant`, async () => {
    const failures: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (ONLY !== undefined && i !== ONLY) continue;
      const history = generateHistory(new Rng(caseSeed(SEED, 7, i)), STEPS, TIES);
      const found = await play(history);
      if (found.length === 0) continue;
      const minimal = await shrink(history);
      failures.push(
        `history ${i} (HISTORY_CASE=${i}): ${found.join('; ')}\n  minimal: ${JSON.stringify(minimal.history)}\n  ` +
          minimal.problems.join('\n  '),
      );
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
