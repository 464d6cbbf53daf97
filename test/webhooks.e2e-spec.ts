import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { decodePayload } from '../src/events/payload-codec.js';
import { REVIEW_QUEUE } from '../src/queue/review-queue.constants.js';
import { deliver, example, EXAMPLE_REPO, installRepo, pullRequestPayload } from './support/deliveries.js';
import { sign } from './support/signing.js';
import { createTestApp, waitFor, type TestApp } from './support/test-app.js';

/** A POST with headers only (no Content-Length, no body), as raw HTTP/1.1; returns the raw answer. */
function bodilessDelivery(t: TestApp, hookId: number, signature: string): Promise<string> {
  const { port } = t.app.getHttpServer().address() as { port: number };
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `POST /api/v1/webhooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-GitHub-Event: push\r\n` +
          `X-GitHub-Delivery: ${randomUUID()}\r\nX-GitHub-Hook-ID: ${hookId}\r\nX-Hub-Signature-256: ${signature}\r\n\r\n`,
      );
    });
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

const sha = (c: string) => c.repeat(40);

describe('POST /api/v1/webhooks/github', () => {
  let t: TestApp;
  let hookId: number;
  let secret: string;
  let queue: Queue;
  const count = async (where = 'true') =>
    Number((await t.db.query(`SELECT count(*) AS n FROM events WHERE ${where}`))[0].n);
  const statusOf = async (id: string) =>
    (await t.db.query('SELECT status FROM events WHERE id = $1', [id]))[0].status as string;
  /** Whether the relay has taken every one of these events out of the outbox. */
  const relayed = async (...ids: string[]) =>
    Number((await t.db.query('SELECT count(*) AS n FROM event_outbox WHERE event_id = ANY($1)', [ids]))[0].n) === 0;

  beforeAll(async () => {
    // This process relays the outbox, but its worker is paused, so queued jobs stay visible.
    t = await createTestApp();
    queue = t.app.get<Queue>(getQueueToken(REVIEW_QUEUE));
    await queue.pause(true);
    ({ hookId, secret } = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id));
  });
  afterAll(() => t?.close());
  beforeEach(() => t.db.query('DELETE FROM events'));

  it('ignores hooks whose target is not a repository, storing nothing', async () => {
    const res = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload(),
      secret,
      hookId,
      targetType: 'integration',
    }).expect(200);
    expect(res.body).toEqual({ status: 'ignored' });
    expect(await count()).toBe(0);
  });

  it('answers 403 Unknown webhook for an unknown hook id or repository', async () => {
    const byHook = await deliver(t, { event: 'ping', payload: example('ping'), secret, hookId: 999999 }).expect(403);
    expect(byHook.body).toEqual({ statusCode: 403, message: 'Unknown webhook' });
    const payload = pullRequestPayload({ repo: { fullName: 'nobody/nothing', id: 1 } });
    await deliver(t, { event: 'pull_request', payload, secret }).expect(403);
    await deliver(t, { event: 'ping', payload: example('ping'), secret, hookId: 'abc' }).expect(403);
    expect(await count()).toBe(0);
  });

  it('answers 403 for a wrong, missing or malformed signature, storing nothing', async () => {
    const payload = pullRequestPayload();
    // With X-GitHub-Hook-ID, and without it (the installation found by the body's repository).
    for (const id of [hookId, undefined]) {
      for (const signature of [null, 'sha256=' + '0'.repeat(64), 'sha1=abc', 'sha256=zz', `sha256=${'a'.repeat(63)}`]) {
        const res = await deliver(t, { event: 'pull_request', payload, secret, hookId: id, signature }).expect(403);
        expect(res.body).toEqual({ statusCode: 403, message: 'Invalid webhook signature' });
      }
      await deliver(t, { event: 'pull_request', payload, secret: 'not-the-secret', hookId: id }).expect(403);
    }
    expect(await count()).toBe(0);
  });

  it('accepts a delivery signed with a secret another process rotated in while this one has the old one cached', async () => {
    const other = await installRepo(t, 'octo/rotated-elsewhere', 5_550_001);
    await deliver(t, { event: 'ping', payload: example('ping'), secret, hookId }).expect(200); // cached now
    const [{ secret_encrypted: original }] = await t.db.query(
      'SELECT secret_encrypted FROM installations WHERE hook_id = $1',
      [hookId],
    );
    // Another process's rotation: the row now holds the other installation's (known) secret.
    await t.db.query(
      'UPDATE installations SET secret_encrypted = (SELECT secret_encrypted FROM installations WHERE hook_id = $1) WHERE hook_id = $2',
      [other.hookId, hookId],
    );
    try {
      await deliver(t, { event: 'ping', payload: example('ping'), secret: other.secret, hookId }).expect(200);
      await deliver(t, { event: 'ping', payload: example('ping'), secret: 'not-the-secret', hookId }).expect(403);
    } finally {
      await t.db.query('UPDATE installations SET secret_encrypted = $1 WHERE hook_id = $2', [original, hookId]);
    }
    await deliver(t, { event: 'ping', payload: example('ping'), secret, hookId }).expect(200);
  });

  it('stores and queues a reviewable PR, verifying the exact bytes of a pretty-printed non-ASCII body', async () => {
    const payload = pullRequestPayload({ sha: sha('1') });
    payload.pull_request.title = 'Ünïcödé ✓ — 日本語 🚀';
    const res = await deliver(t, { event: 'pull_request', payload, secret, hookId, pretty: true }).expect(200);
    expect(res.body).toEqual({ status: 'received', event_id: expect.any(String), event_type: 'opened_pull_request' });
    const [row] = await t.db.query('SELECT * FROM events WHERE id = $1', [res.body.event_id]);
    expect(row).toMatchObject({
      status: 'pending',
      repo: EXAMPLE_REPO.fullName,
      pr_number: payload.number,
      head_sha: sha('1'),
      github_event: 'pull_request',
      action: 'opened',
    });
    expect(decodePayload(row.payload).pull_request).toMatchObject({ title: 'Ünïcödé ✓ — 日本語 🚀' });
    // The relay queues it right after the answer (the events table is the outbox).
    await waitFor(() => queue.getJob(res.body.event_id));
  });

  it('finds the installation by the body when X-GitHub-Hook-ID is absent', async () => {
    const res = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ sha: sha('2') }),
      secret,
    }).expect(200);
    expect(res.body.status).toBe('received');
    // A body without a usable repository id is matched by its full name.
    const byName = pullRequestPayload({ sha: sha('b'), repo: { fullName: EXAMPLE_REPO.fullName, id: 0 } });
    const named = await deliver(t, { event: 'pull_request', payload: byName, secret }).expect(200);
    expect(named.body.status).toBe('received');
  });

  it('accepts a 3 MB body and the form content type', async () => {
    const big = pullRequestPayload({ sha: sha('3') });
    big.pull_request.body = 'x'.repeat(3 * 1024 * 1024);
    expect((await deliver(t, { event: 'pull_request', payload: big, secret, hookId }).expect(200)).body.status).toBe(
      'received',
    );
    const form = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ sha: sha('4') }),
      secret,
      hookId,
      form: true,
    }).expect(200);
    expect(form.body.status).toBe('received');
    expect(await count(`head_sha = '${sha('4')}' AND status = 'pending'`)).toBe(1);
  });

  it('serves the path as express would (any case, trailing slash, query string); other methods are 404', async () => {
    for (const [i, path] of [
      '/API/V1/Webhooks/GitHub',
      '/api/v1/webhooks/github/',
      '/api/v1/webhooks/github?from=hookshot',
    ].entries()) {
      const res = await deliver(t, {
        event: 'pull_request',
        payload: pullRequestPayload({ number: 40 + i, sha: sha(String(i)) }),
        secret,
        hookId,
        path,
      }).expect(200);
      expect(res.body.status).toBe('received');
    }
    expect(await count()).toBe(3);
    const get = await t.http.get('/api/v1/webhooks/github').expect(404);
    expect(get.body).toMatchObject({ statusCode: 404 });
    await t.http.post('/api/v1/webhooks/github/extra').expect(404);
  });

  it('answers 400 for missing event or delivery headers and malformed bodies, storing nothing', async () => {
    const payload = pullRequestPayload();
    const noEvent = await deliver(t, {
      event: 'pull_request',
      payload,
      secret,
      hookId,
      headers: { 'x-github-event': undefined },
    }).expect(400);
    expect(noEvent.body).toEqual({ statusCode: 400, message: 'X-GitHub-Event header is missing or malformed' });
    const noDelivery = await deliver(t, {
      event: 'pull_request',
      payload,
      secret,
      hookId,
      headers: { 'x-github-delivery': undefined },
    }).expect(400);
    expect(noDelivery.body.message).toBe('X-GitHub-Delivery header is missing or malformed');
    const broken = await deliver(t, { event: 'pull_request', payload: '{"action": "opened", ', secret, hookId }).expect(
      400,
    );
    expect(broken.body).toEqual({ statusCode: 400, message: 'Request body is not valid JSON' });
    await deliver(t, { event: 'pull_request', payload: '[1, 2]', secret, hookId }).expect(400);
    await deliver(t, { event: 'pull_request', payload: 'other=1', secret, hookId, form: true, headers: {} }).expect(
      400,
    );
    // A signed delivery with no body at all: no Content-Length, so the raw parser leaves none.
    const empty = await bodilessDelivery(t, hookId, sign(secret, ''));
    expect(empty).toMatch(/^HTTP\/1\.1 400 /);
    expect(empty).toContain('{"statusCode":400,"message":"Request body is not valid JSON"}');
    expect(await count()).toBe(0);
  });

  it('gives exactly one received among 30 concurrent identical deliveries', async () => {
    const payload = pullRequestPayload({ sha: sha('5') });
    const deliveryId = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => deliver(t, { event: 'pull_request', payload, secret, hookId, deliveryId })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));
    const received = answers.filter((a) => a.body.status === 'received');
    const duplicates = answers.filter((a) => a.body.status === 'duplicate_skipped');
    expect(received).toHaveLength(1);
    expect(duplicates).toHaveLength(29);
    for (const d of duplicates) expect(d.body.event_id).toBe(received[0].body.event_id);
    expect(await count()).toBe(1);
  });

  it('dedupes the same PR head from another delivery, but not a new head, which supersedes the older pending one', async () => {
    const first = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ sha: sha('6'), updatedAt: '2026-11-27T10:00:00Z' }),
      secret,
      hookId,
    }).expect(200);
    const again = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ action: 'synchronize', sha: sha('6'), updatedAt: '2026-11-27T10:00:00Z' }),
      secret,
      hookId,
    }).expect(200);
    expect(again.body).toEqual({ status: 'duplicate_skipped', event_id: first.body.event_id });
    const newer = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ action: 'synchronize', sha: sha('7'), updatedAt: '2026-11-27T10:05:00Z' }),
      secret,
      hookId,
    }).expect(200);
    expect(newer.body).toMatchObject({ status: 'received', event_type: 'synchronize_pull_request' });
    // The relay supersedes it as it queues the newer one, and queues no job for it.
    await waitFor(async () => (await statusOf(first.body.event_id)) === 'superseded');
    const [superseded] = await t.db.query('SELECT error, processed_at FROM events WHERE id = $1', [
      first.body.event_id,
    ]);
    expect(superseded).toEqual({
      error: 'Superseded by a newer head of the pull request',
      processed_at: expect.any(Date),
    });
    await waitFor(() => relayed(newer.body.event_id));
    expect(await queue.getJob(newer.body.event_id)).not.toBeNull();
    // An older head arriving late does not supersede the newer one.
    const late = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ action: 'synchronize', sha: sha('8'), updatedAt: '2026-11-27T09:00:00Z' }),
      secret,
      hookId,
    }).expect(200);
    await waitFor(() => relayed(late.body.event_id));
    expect(await statusOf(newer.body.event_id)).toBe('pending');
    expect(await statusOf(late.body.event_id)).toBe('pending');
  });

  it('queues only the newest head when two heads of a PR are relayed in one batch', async () => {
    const older = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ sha: sha('d'), updatedAt: '2026-11-27T11:00:00Z' }),
      secret,
      hookId,
    }).expect(200);
    const newer = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ action: 'synchronize', sha: sha('e'), updatedAt: '2026-11-27T11:05:00Z' }),
      secret,
      hookId,
    }).expect(200);
    const ids = [older.body.event_id, newer.body.event_id];
    await waitFor(() => relayed(...ids));
    // Both back to pending without jobs, then into the outbox together: one relay pass takes both.
    for (const id of ids) await (await queue.getJob(id))?.remove();
    await t.db.query(`UPDATE events SET status = 'pending' WHERE id = ANY($1)`, [ids]);
    await t.db.query('INSERT INTO event_outbox (event_id) SELECT unnest($1::uuid[])', [ids]);
    await waitFor(() => relayed(...ids));
    const statuses = await t.db.query('SELECT id, status FROM events WHERE id = ANY($1)', [ids]);
    expect(Object.fromEntries(statuses.map((r: { id: string; status: string }) => [r.id, r.status]))).toEqual({
      [ids[0]]: 'superseded',
      [ids[1]]: 'pending',
    });
    expect(await queue.getJob(ids[0])).toBeNull();
    expect(await queue.getJob(ids[1])).not.toBeNull();
  });

  it('queues an older head that a run already claimed, for the worker to give its head a verdict', async () => {
    // An event a worker claimed (it may have set `pending` on its head), then set back to pending
    // (Redis lost its jobs, the worker died): superseding it in SQL would leave that status pending.
    const older = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ sha: sha('f'), updatedAt: '2026-11-27T12:00:00Z' }),
      secret,
      hookId,
    }).expect(200);
    await waitFor(() => relayed(older.body.event_id));
    await (await queue.getJob(older.body.event_id))?.remove();
    await t.db.query(`UPDATE events SET attempts = 1 WHERE id = $1`, [older.body.event_id]);
    const newer = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ action: 'synchronize', sha: sha('0'), updatedAt: '2026-11-27T12:05:00Z' }),
      secret,
      hookId,
    }).expect(200);
    await t.db.query('INSERT INTO event_outbox (event_id) VALUES ($1)', [older.body.event_id]);
    const ids = [older.body.event_id, newer.body.event_id];
    await waitFor(() => relayed(...ids));
    for (const id of ids) {
      expect(await statusOf(id)).toBe('pending');
      expect(await queue.getJob(id)).not.toBeNull();
    }
  });

  it('does not dedupe outside the window, and processes a redelivery of a completed event again', async () => {
    const payload = pullRequestPayload({ sha: sha('9') });
    const old = await deliver(t, { event: 'pull_request', payload, secret, hookId }).expect(200);
    await t.db.query(`UPDATE events SET created_at = now() - interval '61 minutes' WHERE id = $1`, [old.body.event_id]);
    const fresh = await deliver(t, { event: 'pull_request', payload, secret, hookId }).expect(200);
    expect(fresh.body.status).toBe('received');
    expect(await statusOf(old.body.event_id)).toBe('superseded');

    const deliveryId = randomUUID();
    const once = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ sha: sha('a') }),
      secret,
      hookId,
      deliveryId,
    }).expect(200);
    await t.db.query(`UPDATE events SET status = 'completed' WHERE id = $1`, [once.body.event_id]);
    const redelivered = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ sha: sha('a') }),
      secret,
      hookId,
      deliveryId,
    }).expect(200);
    expect(redelivered.body.status).toBe('received');
    expect(redelivered.body.event_id).not.toBe(once.body.event_id);
  });

  it('stores other events as received without queuing them; a ping verifies the hook', async () => {
    const push = await deliver(t, { event: 'push', payload: example('push'), secret, hookId }).expect(200);
    expect(push.body).toEqual({ status: 'received', event_id: expect.any(String), event_type: 'push' });
    // Drafts are queued: .nectr.yml's review.drafts decides in the worker (repo-config.e2e-spec.ts).
    const closed = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ action: 'closed', sha: sha('c') }),
      secret,
      hookId,
    }).expect(200);
    expect(closed.body.event_type).toBe('closed_pull_request');
    for (const id of [push.body.event_id, closed.body.event_id]) {
      expect(await statusOf(id)).toBe('received');
      expect(await queue.getJob(id)).toBeNull();
    }
    // The same push delivered again is a duplicate of the logged one.
    const pushDelivery = randomUUID();
    await deliver(t, { event: 'push', payload: example('push'), secret, hookId, deliveryId: pushDelivery }).expect(200);
    expect(
      (await deliver(t, { event: 'push', payload: example('push'), secret, hookId, deliveryId: pushDelivery })).body
        .status,
    ).toBe('duplicate_skipped');

    const ping = await deliver(t, {
      event: 'ping',
      payload: { ...example('ping'), hook_id: hookId },
      secret,
      hookId,
    }).expect(200);
    expect(ping.body).toMatchObject({ status: 'received', event_type: 'ping' });
    const [repo] = (await t.http.get('/api/v1/repos').set(t.auth)).body;
    expect(repo.hook_verified_at).toEqual(expect.any(String));
  });
});
