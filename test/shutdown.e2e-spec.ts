// A rolling deploy: SIGTERM reaches an api process in the middle of a burst of deliveries sent on
// kept-alive connections, as a load balancer or GitHub in a burst sends them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { DRAIN_LIMIT_MS } from '../src/common/http-drain.js';
import { deliver, deliveryBody, EXAMPLE_REPO, installRepo, pullRequestPayload } from './support/deliveries.js';
import { healthStatus, killAll, startNectr, type NectrProcess } from './support/processes.js';
import { riskyFiles } from './support/pulls.js';
import { sign } from './support/signing.js';
import { createTestApp, waitFor, type TestApp } from './support/test-app.js';

interface Outcome {
  sentAfterTerm: boolean;
  status?: number;
  body?: { status?: string; event_id?: string };
  /** A connection error instead of an answer. */
  error?: string;
}

function post(
  port: number,
  agent: http.Agent,
  body: Buffer,
  headers: Record<string, string>,
): Promise<Omit<Outcome, 'sentAfterTerm'>> {
  return new Promise((done) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/webhooks/github',
        agent,
        headers: { ...headers, 'content-length': String(body.length) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done({ status: res.statusCode, body: JSON.parse(text) }));
        res.on('error', (e: NodeJS.ErrnoException) => done({ error: e.code ?? e.message }));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => done({ error: e.code ?? e.message }));
    req.end(body);
  });
}

describe('SIGTERM during a burst of deliveries', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ role: 'api' });
  });
  afterAll(async () => {
    killAll();
    await app?.close();
  });

  it('answers every delivery sent before it, stores each answered received, and exits', async () => {
    const hook = await installRepo(app, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    const api = await startNectr({ ...app.env, PROCESS_ROLE: 'api', APP_ENV: 'production' });
    await api.healthy();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
    const outcomes: Outcome[] = [];
    let termAt: number | null = null;
    // 20 senders, one delivery at a time each, until a connection error: the process has gone.
    const sender = async (n: number) => {
      for (let i = 1; ; i++) {
        const body = deliveryBody({ payload: pullRequestPayload({ number: n * 100_000 + i }) });
        const sentAfterTerm = termAt !== null;
        const outcome = await post(api.port, agent, body, {
          'content-type': 'application/json',
          'x-github-event': 'pull_request',
          'x-github-delivery': randomUUID(),
          'x-github-hook-id': String(hook.hookId),
          'x-hub-signature-256': sign(hook.secret, body),
        });
        outcomes.push({ ...outcome, sentAfterTerm });
        if (outcome.error) return;
      }
    };
    const senders = Array.from({ length: 20 }, (_, n) => sender(n));
    await new Promise((r) => setTimeout(r, 1000));
    termAt = Date.now();
    api.child.kill('SIGTERM');
    // Before connections were drained, the senders kept this process serving until SIGKILL.
    const exit = await Promise.race([
      api.exited,
      new Promise((r) => setTimeout(() => r('still running'), DRAIN_LIMIT_MS)),
    ]);
    expect([0, 'SIGTERM']).toContain(exit);
    await Promise.all(senders);
    agent.destroy();

    const beforeTerm = outcomes.filter((o) => !o.sentAfterTerm);
    expect(beforeTerm.length).toBeGreaterThan(20);
    // Each in flight when SIGTERM came was answered, not cut off; a connection error can only
    // meet one sent after it (GitHub records that delivery as failed, and it is redelivered).
    expect(beforeTerm.filter((o) => o.body?.status !== 'received')).toEqual([]);
    expect(outcomes.filter((o) => o.status !== undefined && o.status >= 500)).toEqual([]);
    const received = outcomes.filter((o) => o.body?.status === 'received').map((o) => o.body!.event_id!);
    const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM events WHERE id = ANY($1::uuid[])`, [received]);
    expect(n).toBe(received.length);
  }, 30_000);
});

// A rolling deploy of the workers: SIGTERM reaches one while its review's POST is still with GitHub.
describe('SIGTERM during a review', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ role: 'api' });
  });
  afterAll(async () => {
    killAll();
    await app?.close();
  });

  it('a worker finishes the review it is running, records it, and then exits', async () => {
    const hook = await installRepo(app, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    const sha = '7'.repeat(40);
    app.github.addPull(EXAMPLE_REPO.fullName, { number: 90, head: { sha, ref: 'deploy' }, files: riskyFiles() });
    const started: { worker?: NectrProcess } = {};
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const posting = new Promise<void>((resolve) => (held = resolve));
    // GitHub holds the review POST; the worker is told to stop meanwhile.
    app.github.holdRequest('POST', /\/pulls\/90\/reviews$/, released, () => {
      started.worker?.child.kill('SIGTERM');
      held();
    });
    const worker = (started.worker = await startNectr({ ...app.env, PROCESS_ROLE: 'worker' }));
    await worker.healthy();
    const res = await deliver(app, {
      event: 'pull_request',
      payload: pullRequestPayload({ number: 90, sha }),
      ...hook,
    }).expect(200);
    await posting;
    // Shutting down: it no longer listens, but is still running, waiting on its review.
    await waitFor(async () => (await healthStatus(worker.port)) === 'refused', 15_000, 100);
    expect(worker.child.exitCode ?? worker.child.signalCode).toBeNull();
    release();
    expect([0, 'SIGTERM']).toContain(await worker.exited);
    // The run that was going on when SIGTERM came posted the review and recorded it before exiting.
    const reviews = app.github.reviewsOf(EXAMPLE_REPO.fullName, 90);
    expect(reviews).toHaveLength(1);
    const [event] = await app.db.query(`SELECT status, attempts, review_url FROM events WHERE id = $1`, [
      res.body.event_id,
    ]);
    expect(event).toMatchObject({ status: 'completed', attempts: 1, review_url: reviews[0].html_url });
    expect(worker.output()).not.toMatch(/"level":50/);
  }, 60_000);
});
