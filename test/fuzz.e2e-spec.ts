// Seeded fuzzing of POST /api/v1/webhooks/github and the management API against the real app
// (Postgres, Redis, fake GitHub). Every case comes from a PRNG seeded by FUZZ_SEED (default fixed),
// and each case has its own derived seed, so a failure replays alone:
//
//   FUZZ_SEED=1234 FUZZ_CASE=w17 NODE_OPTIONS=--experimental-vm-modules npx jest --selectProjects e2e --testPathPatterns test/fuzz
//
// FUZZ_WEBHOOK_CASES / FUZZ_MANAGEMENT_CASES change the counts. Each case is sent with exact bytes,
// path and headers; an oracle written from the API contract (API.md) says which statuses it allows.
// FUZZ_STATS=1 prints, per kind of case, the statuses that came back and those the oracle allowed.
// The invariants: never a 5xx, never a hang, always JSON ({statusCode, message} for errors), never a
// secret in an answer, and never an event stored for a delivery without a valid signature.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EXAMPLE_REPO, installRepo } from './support/deliveries.js';
import { OTHER_REPO, PLAYGROUND, WEBHOOK_PATH, type Ctx } from './support/fuzz/fixtures.js';
import { mgmtCase, type MgmtCtx } from './support/fuzz/management-cases.js';
import { checkMgmt, describeMgmt, type MgmtOutcome } from './support/fuzz/management-checks.js';
import { destroyAgent, pool, rawRequest } from './support/fuzz/raw-http.js';
import { report, stats } from './support/fuzz/report.js';
import { captureServerErrors } from './support/fuzz/server-log.js';
import {
  CONCURRENCY,
  MANAGEMENT_CASES,
  ONLY,
  SEED,
  SEED_TAG,
  selected,
  WEBHOOK_CASES,
} from './support/fuzz/settings.js';
import { storedEventProblems, type StoredEvent } from './support/fuzz/stored-events.js';
import { webhookCase } from './support/fuzz/webhook-cases.js';
import { checkWebhook, describeWebhook, type WebhookOutcome } from './support/fuzz/webhook-checks.js';
import { sign } from './support/signing.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe(`fuzz (${SEED_TAG})`, () => {
  let t: TestApp;
  let port: number;
  let ctx: Ctx;
  let webhookOutcomes: WebhookOutcome[] = [];
  const allSecrets = () => {
    const secrets = new Set<string>([ctx.main.secret, ctx.other.secret]);
    for (const name of [EXAMPLE_REPO.fullName, OTHER_REPO.fullName, PLAYGROUND.fullName]) {
      for (const hook of t.github.repo(name).hooks.values()) if (hook.config.secret) secrets.add(hook.config.secret);
    }
    return [...secrets];
  };

  beforeAll(async () => {
    t = await createTestApp({ role: 'api' });
    port = (t.app.getHttpServer().address() as { port: number }).port;
    const main = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    const other = await installRepo(t, OTHER_REPO.fullName, OTHER_REPO.id);
    t.github.addRepo(PLAYGROUND.fullName, PLAYGROUND.id);
    ctx = {
      main: { ...EXAMPLE_REPO, ...main },
      other: { ...OTHER_REPO, ...other },
      installs: [],
    };
    ctx.installs = [ctx.main, ctx.other];
  }, 60_000);

  afterAll(async () => {
    destroyAgent();
    await t?.close();
  });

  it(`webhook: ${WEBHOOK_CASES} seeded deliveries answer as the contract says, never 5xx, always JSON`, async () => {
    const cases = Array.from({ length: WEBHOOK_CASES }, (_, i) => `w${i}`)
      .filter(selected)
      .map((id) => webhookCase(ctx, SEED, Number(id.slice(1))));
    const secrets = [ctx.main.secret, ctx.other.secret];
    const logged = captureServerErrors();
    try {
      webhookOutcomes = await pool(cases, CONCURRENCY, async (c) => {
        const res = await rawRequest(
          port,
          { method: 'POST', path: WEBHOOK_PATH, headers: c.headers, body: c.body },
          30_000,
        );
        return { c, res, problems: checkWebhook(c, res, secrets) };
      });
    } finally {
      logged.restore();
    }
    if (process.env.FUZZ_STATS)
      console.log(stats(webhookOutcomes.map((o) => ({ kind: o.c.tags[0], status: o.res.status, accept: o.c.accept }))));
    const failed = webhookOutcomes.filter((o) => o.problems.length > 0);
    expect(
      report(
        failed.map((o) => describeWebhook(o, SEED_TAG)),
        cases.length,
        SEED_TAG,
        logged.lines(),
      ),
    ).toEqual([]);
    const health = await rawRequest(port, { method: 'GET', path: '/health' });
    expect(health.status).toBe(200);
  }, 120_000);

  it('stores an event only for a validly signed, well-formed delivery, and every one answered received is stored', async () => {
    const rows: StoredEvent[] = await t.db.query('SELECT id, delivery_id, repo, github_event FROM events');
    const problems = storedEventProblems(rows, webhookOutcomes, SEED_TAG);
    // Every validly signed, well-formed delivery was accepted.
    const mustAccept = webhookOutcomes.filter((o) => o.c.accept.length === 1 && o.c.accept[0] === 200 && o.c.exact);
    const accepted = mustAccept.filter((o) => o.res.status === 200);
    if (!ONLY) expect(mustAccept.length).toBeGreaterThan(WEBHOOK_CASES / 10 - 1);
    expect(report(problems, rows.length, SEED_TAG)).toEqual([]);
    expect(accepted.length).toBe(mustAccept.length);
  });

  it(`management API: ${MANAGEMENT_CASES} seeded requests answer as the contract says, never 5xx, always JSON`, async () => {
    const eventIds = (await t.db.query<Array<{ id: string }>>('SELECT id FROM events ORDER BY id LIMIT 50')).map(
      (row) => row.id,
    );
    const m: MgmtCtx = { token: t.auth.Authorization.slice('Bearer '.length), eventIds };
    const cases = Array.from({ length: MANAGEMENT_CASES }, (_, i) => `m${i}`)
      .filter(selected)
      .map((id) => mgmtCase(m, SEED, Number(id.slice(1))));
    const logged = captureServerErrors();
    let outcomes: MgmtOutcome[];
    try {
      outcomes = await pool(cases, CONCURRENCY, async (c) => {
        const res = await rawRequest(
          port,
          { method: c.method, path: c.path, headers: c.headers, body: c.body },
          30_000,
        );
        return { c, res, problems: checkMgmt(c, res, allSecrets()) };
      });
    } finally {
      logged.restore();
    }
    if (process.env.FUZZ_STATS)
      console.log(stats(outcomes.map((o) => ({ kind: o.c.tags[0], status: o.res.status, accept: o.c.accept }))));
    const failed = outcomes.filter((o) => o.problems.length > 0);
    const lines = failed.map((o) => describeMgmt(o, SEED_TAG));
    expect(report(lines, cases.length, SEED_TAG, logged.lines())).toEqual([]);
  }, 120_000);

  it('is still up: GET /health is 200, and the installed repositories still verify', async () => {
    const health = await rawRequest(port, { method: 'GET', path: '/health' });
    expect(health.status).toBe(200);
    const body = JSON.stringify({
      zen: 'still here',
      repository: { id: EXAMPLE_REPO.id, full_name: EXAMPLE_REPO.fullName },
    });
    const res = await rawRequest(port, {
      method: 'POST',
      path: WEBHOOK_PATH,
      body: Buffer.from(body),
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'ping',
        'x-github-delivery': `fz-final-${SEED}`,
        'x-github-hook-id': String(ctx.main.hookId),
        'x-hub-signature-256': sign(ctx.main.secret, body),
      },
    });
    expect(res.status).toBe(200);
  });
});
