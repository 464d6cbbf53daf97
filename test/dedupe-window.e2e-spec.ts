// DEDUPE_WINDOW_MINUTES (API.md, configuration): a second delivery of a PR's head while the first is
// still pending is a duplicate inside the window, and supersedes the first outside it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { REVIEW_QUEUE } from '../src/queue/review-queue.constants.js';
import { deliver, EXAMPLE_REPO, installRepo, pullRequestPayload } from './support/deliveries.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('DEDUPE_WINDOW_MINUTES=5', () => {
  let t: TestApp;
  let hook: { hookId: number; secret: string };

  beforeAll(async () => {
    t = await createTestApp({ env: { DEDUPE_WINDOW_MINUTES: '5' } });
    // Events stay pending: the worker is paused.
    await t.app.get<Queue>(getQueueToken(REVIEW_QUEUE)).pause(true);
    hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
  });
  afterAll(() => t?.close());

  const statusOf = async (id: string) =>
    (await t.db.query('SELECT status FROM events WHERE id = $1', [id]))[0].status as string;

  it.each([
    [4, 'duplicate_skipped', 'pending'],
    [6, 'received', 'superseded'],
  ])('the same head again, the first delivery %i minutes old: %s, the first %s', async (minutes, answer, first) => {
    const payload = pullRequestPayload({ number: 500 + minutes, sha: String(minutes).repeat(40) });
    const old = await deliver(t, { event: 'pull_request', payload, ...hook }).expect(200);
    await t.db.query(`UPDATE events SET created_at = now() - make_interval(mins => $2) WHERE id = $1`, [
      old.body.event_id,
      minutes,
    ]);
    const again = await deliver(t, { event: 'pull_request', payload, ...hook }).expect(200);
    expect(again.body.status).toBe(answer);
    expect(await statusOf(old.body.event_id)).toBe(first);
  });
});
