import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deliver, EXAMPLE_REPO, example, installRepo, pullRequestPayload } from './support/deliveries.js';
import { riskyFiles } from './support/pulls.js';
import { createTestApp, waitFor, type TestApp } from './support/test-app.js';

const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('needs the bearer token', async () => {
    await t.http.get('/metrics').expect(401);
  });

  it('counts webhooks by result and event type, signature failures, GitHub calls, queue depth and review durations', async () => {
    // Before GitHub has answered, no rate-limit figure (a 0 would read as a token run dry).
    expect((await t.http.get('/metrics').set(t.auth).expect(200)).text).not.toMatch(
      /^nectr_github_rate_limit_remaining/m,
    );
    const hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    const sha = '7'.repeat(40);
    t.github.addPull(EXAMPLE_REPO.fullName, { number: 3, head: { sha, ref: 'm' }, files: riskyFiles() });
    const payload = pullRequestPayload({ number: 3, sha });
    const deliveryId = '11111111-2222-4333-8444-555555555555';
    await deliver(t, { event: 'pull_request', payload, ...hook, deliveryId }).expect(200);
    await deliver(t, { event: 'pull_request', payload, ...hook, deliveryId }).expect(200);
    await deliver(t, { event: 'push', payload: example('push'), ...hook }).expect(200);
    await deliver(t, {
      event: 'push',
      payload: example('push'),
      ...hook,
      signature: 'sha256=' + '0'.repeat(64),
    }).expect(403);
    await deliver(t, { event: 'push', payload: example('push'), ...hook, hookId: 424242 }).expect(403);
    await deliver(t, { event: 'push', payload: example('push'), ...hook, targetType: 'organization' }).expect(200);
    await deliver(t, { event: 'push', payload: '{', ...hook }).expect(400);
    await waitFor(() => t.github.reviewsOf(EXAMPLE_REPO.fullName, 3).length === 1);

    const res = await waitFor(async () => {
      const r = await t.http.get('/metrics').set(t.auth).expect(200);
      return /nectr_review_duration_seconds_count\{outcome="completed"\} 1/.test(r.text) ? r : undefined;
    });
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(value(text, 'nectr_webhooks_total{result="received",event_type="opened_pull_request"}')).toBe(1);
    expect(value(text, 'nectr_webhooks_total{result="received",event_type="push"}')).toBe(1);
    expect(value(text, 'nectr_webhooks_total{result="duplicate_skipped",event_type=""}')).toBe(1);
    expect(value(text, 'nectr_webhooks_total{result="invalid_signature",event_type=""}')).toBe(1);
    expect(value(text, 'nectr_webhooks_total{result="unknown_webhook",event_type=""}')).toBe(1);
    expect(value(text, 'nectr_webhooks_total{result="ignored",event_type=""}')).toBe(1);
    expect(value(text, 'nectr_webhooks_total{result="bad_request",event_type=""}')).toBe(1);
    expect(value(text, 'nectr_webhook_signature_failures_total')).toBe(1);
    // The hook, and the review's nectr commit status twice (pending, then the result).
    expect(value(text, 'nectr_github_requests_total{status="201"}')).toBe(3);
    expect(value(text, 'nectr_github_requests_total{status="200"}')).toBeGreaterThanOrEqual(4);
    // GitHub's x-ratelimit-* of its latest answer (the fake counts down from 5000 per request).
    expect(value(text, 'nectr_github_rate_limit_remaining{resource="core"}')).toBe(t.github.rateLimitRemaining);
    expect(t.github.rateLimitRemaining).toBeLessThan(5000);
    expect(value(text, 'nectr_github_rate_limit_reset_timestamp_seconds{resource="core"}')).toBeGreaterThan(
      Date.now() / 1000,
    );
    // docs/reliability.md: nectr_review_queue_jobs{state}, one series per state.
    for (const state of ['waiting', 'active', 'delayed', 'failed'])
      expect(value(text, `nectr_review_queue_jobs{state="${state}"}`)).toBe(0);
    expect(value(text, 'nectr_outbox_events')).toBe(0);
    expect(text).toMatch(/^nectr_review_duration_seconds_bucket\{le="\+Inf",outcome="completed"\} 1$/m);
    expect(text).toMatch(/^nectr_process_resident_memory_bytes \d+/m);
  });

  it('times reviews by their outcome: a review that fails is counted as failed, not completed', async () => {
    const hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    t.github.failNext('GET', /\/pulls\/4$/, 404, { body: { message: 'Not Found' } });
    const payload = pullRequestPayload({ number: 4, sha: '8'.repeat(40) });
    await deliver(t, { event: 'pull_request', payload, ...hook }).expect(200);
    const text = await waitFor(async () => {
      const r = await t.http.get('/metrics').set(t.auth).expect(200);
      return /nectr_review_duration_seconds_count\{outcome="failed"\} 1/.test(r.text) ? r.text : undefined;
    });
    expect(value(text, 'nectr_review_duration_seconds_count{outcome="completed"}')).toBe(1);
  });
});
