// A rolling deploy: SIGTERM reaches an api process in the middle of a burst of deliveries sent on
// kept-alive connections, as a load balancer or GitHub in a burst sends them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { DRAIN_LIMIT_MS } from '../src/common/http-drain.js';
import { deliveryBody, EXAMPLE_REPO, installRepo, pullRequestPayload } from './support/deliveries.js';
import { killAll, startNectr } from './support/processes.js';
import { sign } from './support/signing.js';
import { createTestApp, type TestApp } from './support/test-app.js';

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
