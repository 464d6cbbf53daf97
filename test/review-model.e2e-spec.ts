// REVIEW_ENGINE=openai / anthropic wired end to end: the model (a fake server on 127.0.0.1 speaking
// each API through the official SDKs) returns findings; Nectr posts them inline on the diff.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { REVIEW_QUEUE } from '../src/queue/review-queue.constants.js';
import { deliver, EXAMPLE_REPO, installRepo, pullRequestPayload, settledEvent } from './support/deliveries.js';
import { FakeModelServer } from './support/fake-models.js';
import { riskyFiles } from './support/pulls.js';
import { createTestApp, waitFor, type TestApp } from './support/test-app.js';

describe.each(['openai', 'anthropic'] as const)('REVIEW_ENGINE=%s', (engine) => {
  let model: FakeModelServer;
  let t: TestApp;

  beforeAll(async () => {
    model = await new FakeModelServer().start();
    const env =
      engine === 'openai'
        ? { REVIEW_ENGINE: 'openai', OPENAI_BASE_URL: model.openaiBaseUrl, OPENAI_API_KEY: 'sk-test-openai-key' }
        : {
            REVIEW_ENGINE: 'anthropic',
            ANTHROPIC_BASE_URL: model.anthropicBaseUrl,
            ANTHROPIC_API_KEY: 'sk-ant-test-key',
          };
    t = await createTestApp({ env: { ...env, REVIEW_MODEL: 'test-model', REVIEW_BACKOFF_MS: '100' } });
  });
  afterAll(async () => {
    await t?.close();
    await model?.stop();
  });

  it("posts the model's findings inline, dropping those off the diff", async () => {
    const hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    model.replyJson({
      summary: 'Risky client changes.',
      findings: [
        { path: 'src/client.ts', line: 3, severity: 'high', message: 'TLS verification is disabled.' },
        { path: 'src/client.ts', line: 40, severity: 'low', message: 'Not a line of the diff.' },
      ],
    });
    const sha = '6'.repeat(40);
    t.github.addPull(EXAMPLE_REPO.fullName, {
      number: 5,
      title: 'Add client',
      body: 'Talks to the API',
      head: { sha, ref: 'c' },
      files: riskyFiles(),
    });
    const payload = pullRequestPayload({ number: 5, sha });
    Object.assign(payload.pull_request, { title: 'Add client', body: 'Talks to the API' });
    const res = await deliver(t, { event: 'pull_request', payload, ...hook }).expect(200);
    const event = await settledEvent(t, res.body.event_id);
    expect(event.status).toBe('completed');
    const [review] = t.github.reviewsOf(EXAMPLE_REPO.fullName, 5);
    expect(review.comments).toEqual([
      expect.objectContaining({
        path: 'src/client.ts',
        line: 3,
        body: expect.stringContaining('TLS verification is disabled.'),
      }),
    ]);
    expect(review.body).toContain('Risky client changes.');
    expect(review.body).toContain(`with the ${engine} engine`);
    const request = model.requests.at(-1)!;
    expect(JSON.stringify(request.body)).toContain('Add client');
    expect(JSON.stringify(request.body)).toContain('rejectUnauthorized: false');
    expect(request.body?.model).toBe('test-model');
  });

  it('retries a review whose answer could not be read twice, rather than pass its files unreviewed', async () => {
    const hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    model.reply('Looks fine to me!', 'Still fine, no JSON needed.');
    model.replyJson({
      summary: 'Read this time.',
      findings: [{ path: 'src/client.ts', line: 3, severity: 'high', message: 'TLS verification is disabled.' }],
    });
    const sha = '7'.repeat(40);
    t.github.addPull(EXAMPLE_REPO.fullName, { number: 6, head: { sha, ref: 'd' }, files: riskyFiles() });
    const res = await deliver(t, { event: 'pull_request', payload: pullRequestPayload({ number: 6, sha }), ...hook });
    const event = await settledEvent(t, res.body.event_id);
    expect(event).toMatchObject({ status: 'completed', attempts: 2 });
    // Never a verdict on the unread answers: pending, then the verdict of the answer read.
    expect(t.github.statusesOf(EXAMPLE_REPO.fullName, sha).map((s) => s.state)).toEqual([
      'pending',
      'pending',
      'failure',
    ]);
    const reviews = t.github.reviewsOf(EXAMPLE_REPO.fullName, 6);
    expect(reviews).toHaveLength(1);
    expect(reviews[0].body).toContain('Read this time.');
  });

  it("puts the job off until a provider's daily quota lifts, rather than spend its attempts in seconds", async () => {
    const hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    model.fail(429, 1, 'Rate limit reached for requests per day', { 'retry-after': '3600' });
    const sha = '8'.repeat(40);
    t.github.addPull(EXAMPLE_REPO.fullName, { number: 8, head: { sha, ref: 'q' }, files: riskyFiles() });
    const asked = Date.now();
    const res = await deliver(t, { event: 'pull_request', payload: pullRequestPayload({ number: 8, sha }), ...hook });
    const queue = t.app.get<Queue>(getQueueToken(REVIEW_QUEUE));
    const job = await waitFor(async () => {
      const found = await queue.getJob(res.body.event_id);
      return found && (await found.getState()) === 'delayed' ? found : undefined;
    });
    // Bull keeps a delayed job's due time (ms) in the score, shifted left by 12 bits.
    const dueMs = Number(await queue.client.zscore(queue.toKey('delayed'), String(job.id))) / 4096;
    expect(dueMs).toBeGreaterThanOrEqual(asked + 3_600_000);
    expect(dueMs).toBeLessThanOrEqual(Date.now() + 3_600_000 + 11_000);
    const { body: waiting } = await t.http.get(`/api/v1/events/${res.body.event_id}`).set(t.auth);
    expect(waiting).toMatchObject({ status: 'processing', attempts: 1, error: expect.stringContaining('429') });

    await job.promote(); // the quota has lifted
    const event = await settledEvent(t, res.body.event_id);
    expect(event).toMatchObject({ status: 'completed', attempts: 2 });
    expect(t.github.reviewsOf(EXAMPLE_REPO.fullName, 8)).toHaveLength(1);
  });
});
