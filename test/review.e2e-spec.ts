import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { REVIEW_QUEUE } from '../src/queue/review-queue.constants.js';
import { PostInFlightError, ReviewService } from '../src/review/review.service.js';
import { deliver, EXAMPLE_REPO, installRepo, pullRequestPayload } from './support/deliveries.js';
import { MAX_BODY_CHARS } from './support/fake-github.js';
import { added } from './support/patches.js';
import { AWS_KEY, cleanFiles, RISKY_LINES, riskyFiles } from './support/pulls.js';
import { createTestApp, waitFor, type TestApp } from './support/test-app.js';

const REPO = EXAMPLE_REPO.fullName;
const head = (n: number) => n.toString(16).padStart(40, 'a');

describe('review jobs', () => {
  let t: TestApp;
  let hook: { hookId: number; secret: string };
  let nextNumber = 100;

  beforeAll(async () => {
    t = await createTestApp({ env: { REVIEW_ATTEMPTS: '3', REVIEW_BACKOFF_MS: '100', GITHUB_RETRY_BASE_MS: '10' } });
    hook = await installRepo(t, REPO, EXAMPLE_REPO.id);
  });
  afterAll(() => t?.close());

  /** The event, once its status is one of `statuses`. */
  function eventOnce(id: string, statuses = ['completed']) {
    return waitFor(
      async () => {
        const { body } = await t.http.get(`/api/v1/events/${id}`).set(t.auth);
        return statuses.includes(body.status) ? body : undefined;
      },
      30_000,
      100,
    );
  }

  /** Opens a PR on the fake GitHub, delivers `opened`, and waits until the event settles. */
  async function review(files = riskyFiles(), options: { action?: string; settle?: string[] } = {}) {
    const number = nextNumber++;
    const sha = head(number);
    t.github.addPull(REPO, { number, head: { sha, ref: `f${number}` }, files });
    const res = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ number, sha, action: options.action }),
      ...hook,
    }).expect(200);
    expect(res.body.status).toBe('received');
    const event = await eventOnce(res.body.event_id, options.settle ?? ['completed', 'failed', 'superseded']);
    return { number, sha, event, reviews: () => t.github.reviewsOf(REPO, number) };
  }

  it('posts one COMMENT review on the head SHA with inline comments on each risky line', async () => {
    const { sha, event, reviews, number } = await review();
    expect(event).toMatchObject({ status: 'completed', attempts: 1, error: null });
    expect(reviews()).toHaveLength(1);
    // What Nectr said on the PR is read once: no other review of it posted meanwhile.
    for (const list of ['comments', 'reviews'])
      expect(t.github.calls('GET', new RegExp(`/pulls/${number}/${list}$`))).toHaveLength(1);
    const [posted] = reviews();
    expect(posted).toMatchObject({ commit_id: sha, event: 'COMMENT' });
    expect(event.review_url).toBe(posted.html_url);
    for (const expected of RISKY_LINES) {
      const comment = posted.comments.find(
        (c) => c.path === expected.path && c.line === expected.line && c.body.includes(expected.ruleId),
      );
      expect(comment).toMatchObject({ side: 'RIGHT' });
    }
    expect(posted.body).toContain(`<!-- nectr-review:event=${event.id} -->`);
    expect(posted.body).toContain('package-lock.json');
    expect(JSON.stringify(posted)).not.toContain(AWS_KEY);
  });

  it('posts a clean review for a clean PR, and reviews ready_for_review', async () => {
    const { event, reviews } = await review(cleanFiles(), { action: 'ready_for_review' });
    expect(event.status).toBe('completed');
    expect(reviews()[0].body).toMatch(/No issues found/);
    expect(reviews()[0].comments).toEqual([]);
  });

  it('retries GitHub 502s and still posts exactly one review', async () => {
    t.github.failNext('POST', /\/pulls\/\d+\/reviews$/, 502, { times: 2 });
    const { event, reviews } = await review();
    expect(event.status).toBe('completed');
    expect(reviews()).toHaveLength(1);
  });

  it('waits out a secondary rate limit (retry-after: 1) and then posts', async () => {
    t.github.failNext('POST', /\/pulls\/\d+\/reviews$/, 403, {
      body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
      headers: { 'retry-after': '1' },
    });
    const { event, reviews, number } = await review();
    expect(event.status).toBe('completed');
    expect(reviews()).toHaveLength(1);
    const posts = t.github.requests.filter(
      (r) => r.method === 'POST' && r.path === `/repos/${REPO}/pulls/${number}/reviews`,
    );
    expect(posts).toHaveLength(2);
    expect(posts[1].at - posts[0].at).toBeGreaterThanOrEqual(950);
  });

  it('puts a job GitHub rate-limited for an hour off until the reset, without failing the event', async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    t.github.failNext('POST', /\/pulls\/\d+\/reviews$/, 403, {
      body: { message: 'API rate limit exceeded for user ID 1.' },
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
    });
    const number = nextNumber++;
    t.github.addPull(REPO, { number, head: { sha: head(number), ref: `f${number}` }, files: riskyFiles() });
    const res = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ number, sha: head(number) }),
      ...hook,
    }).expect(200);
    const queue = t.app.get<Queue>(getQueueToken(REVIEW_QUEUE));
    const job = await waitFor(async () => {
      const found = await queue.getJob(res.body.event_id);
      return found && (await found.getState()) === 'delayed' ? found : undefined;
    });
    // Bull keeps a delayed job's due time (ms) in the score, shifted left by 12 bits.
    const dueMs = Number(await queue.client.zscore(queue.toKey('delayed'), String(job.id))) / 4096;
    expect(dueMs).toBeGreaterThanOrEqual(reset * 1000 - 2000);
    expect(dueMs).toBeLessThanOrEqual(reset * 1000 + 12_000);
    const { body: waiting } = await t.http.get(`/api/v1/events/${res.body.event_id}`).set(t.auth);
    expect(waiting).toMatchObject({
      status: 'processing',
      attempts: 1,
      error: expect.stringMatching(/GitHub answered 403: API rate limit exceeded/),
    });

    await job.promote(); // the hour has passed
    const done = await eventOnce(res.body.event_id);
    expect(done.attempts).toBe(2);
    expect(t.github.reviewsOf(REPO, number)).toHaveLength(1);
  });

  it('never posts twice when the job runs again while its first run is still going (lapsed lock)', async () => {
    const number = nextNumber++;
    const sha = head(number);
    t.github.addPull(REPO, { number, head: { sha, ref: `f${number}` }, files: riskyFiles() });
    let eventId!: (id: string) => void;
    const delivered = new Promise<string>((resolve) => (eventId = resolve));
    let second: Promise<string> | undefined;
    // The worker's run stalls reading the PR's files. Meanwhile the job runs again, as Bull does when a
    // lock lapses, and that run is still posting (GitHub holds its answer) when the first gets there:
    // the first run's read is answered once the second run's post is being held.
    let posting!: () => void;
    const secondPosting = new Promise<void>((done) => (posting = done));
    t.github.holdNext('GET', new RegExp(`/pulls/${number}/files$`), secondPosting, () => {
      t.github.slowNext('POST', new RegExp(`/pulls/${number}/reviews$`), 1500, posting);
      second = delivered.then((id) => t.app.get(ReviewService).run(id));
    });
    const res = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ number, sha }),
      ...hook,
    }).expect(200);
    eventId(res.body.event_id);
    const event = await eventOnce(res.body.event_id);
    expect(await second).toBe('completed');
    const posts = t.github.requests.filter(
      (r) => r.method === 'POST' && r.path === `/repos/${REPO}/pulls/${number}/reviews`,
    );
    expect(posts).toHaveLength(1);
    expect(t.github.reviewsOf(REPO, number)).toHaveLength(1);
    expect(event.review_url).toBe(t.github.reviewsOf(REPO, number)[0].html_url);
  });

  it('waits for a live posting lease, and looks for the review before taking over a lapsed one', async () => {
    const { event, reviews, number } = await review();
    const posts = () =>
      t.github.requests.filter((r) => r.method === 'POST' && r.path === `/repos/${REPO}/pulls/${number}/reviews`)
        .length;
    const service = t.app.get(ReviewService);
    // Another run is posting right now (its review not on GitHub yet): this one must not.
    const onGitHub = t.github.repo(REPO).reviews.get(number)!;
    t.github.repo(REPO).reviews.set(number, []);
    await t.db.query(`UPDATE events SET status = 'processing', attempts = 0, posting_since = now() WHERE id = $1`, [
      event.id,
    ]);
    await expect(service.run(event.id)).rejects.toThrow(PostInFlightError);
    t.github.repo(REPO).reviews.set(number, onGitHub);
    // That run died mid-post, long ago: its review is on GitHub, so the one taking over finds it.
    // (attempts 0: the claim makes it a first attempt, which alone would not look.)
    await t.db.query(`UPDATE events SET attempts = 0, posting_since = now() - interval '1 hour' WHERE id = $1`, [
      event.id,
    ]);
    await expect(service.run(event.id)).resolves.toBe('completed');
    expect(posts()).toBe(1);
    expect(reviews()).toHaveLength(1);
    const [row] = await t.db.query('SELECT status, review_url, posting_since FROM events WHERE id = $1', [event.id]);
    expect(row).toEqual({ status: 'completed', review_url: reviews()[0].html_url, posting_since: null });
  });

  it('puts the findings in the body when GitHub rejects the inline comments (422)', async () => {
    t.github.onReview((_repo, _pull, body) => (body.comments?.length ? 422 : undefined));
    try {
      const { event, reviews } = await review();
      expect(event.status).toBe('completed');
      expect(reviews()).toHaveLength(1);
      expect(reviews()[0].comments).toEqual([]);
      for (const { path, line } of RISKY_LINES) expect(reviews()[0].body).toContain(`\`${path}:${line}\``);
    } finally {
      t.github.onReview(() => undefined);
    }
  });

  it("keeps the review under GitHub's body limit when there are hundreds of findings", async () => {
    // 50 go inline; the others would be listed in the body, past the 65 536 characters GitHub takes.
    const todos = Array.from({ length: 600 }, (_, i) => `// TODO: item ${i} of the generated list`);
    const { event, reviews } = await review([added('src/generated.ts', todos)]);
    expect(event).toMatchObject({ status: 'completed', error: null });
    expect(reviews()).toHaveLength(1);
    const [posted] = reviews();
    expect(posted.body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(posted.comments).toHaveLength(50);
    expect(posted.body).toMatch(/\d+ more findings? not listed/);
  });

  it('does not post again when the review for the event is already on GitHub', async () => {
    const number = nextNumber++;
    const sha = head(number);
    t.github.addPull(REPO, { number, head: { sha, ref: 'x' }, files: riskyFiles() });
    // A previous attempt posted, then died before recording it: the marker is already there.
    const res = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ number, sha }),
      ...hook,
      deliveryId: 'aaaaaaaa-0000-4000-8000-000000000001',
    }).expect(200);
    await eventOnce(res.body.event_id);
    await t.db.query(`UPDATE events SET status = 'failed' WHERE id = $1`, [res.body.event_id]);
    await t.http.post(`/api/v1/events/${res.body.event_id}/retry`).set(t.auth).expect(200);
    const after = await eventOnce(res.body.event_id);
    expect(after.attempts).toBe(2);
    expect(t.github.reviewsOf(REPO, number)).toHaveLength(1);
  });

  it('marks the event failed with the error after the last attempt', async () => {
    t.github.failNext('GET', /\/pulls\/\d+\/files$/, 500, { times: 100 });
    try {
      const { event, reviews } = await review();
      expect(event.status).toBe('failed');
      expect(event.attempts).toBe(3);
      expect(event.error).toMatch(/GitHub answered 500/);
      expect(reviews()).toHaveLength(0);
    } finally {
      t.github.clearFailures();
    }
  });

  it('fails at once when the PR is gone (404), and supersedes a closed PR', async () => {
    t.github.failNext('GET', /\/pulls\/\d+$/, 404, { body: { message: 'Not Found' } });
    const gone = await review();
    expect(gone.event).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: expect.stringMatching(/GitHub answered 404/),
    });

    const number = nextNumber++;
    const sha = head(number);
    t.github.addPull(REPO, { number, head: { sha, ref: 'y' }, files: riskyFiles(), state: 'closed' });
    const res = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ number, sha }),
      ...hook,
    }).expect(200);
    const closed = await eventOnce(res.body.event_id, ['superseded']);
    expect(closed.error).toBe('Pull request is closed');
    expect(t.github.reviewsOf(REPO, number)).toHaveLength(0);
    // The head it set `pending` on does not stay pending.
    expect(t.github.statusesOf(REPO, sha).map((s) => [s.state, s.description])).toEqual([
      ['pending', 'Reviewing…'],
      ['success', 'Not reviewed: pull request is closed'],
    ]);
  });

  it('supersedes an event whose PR head moved on to a newer delivered head', async () => {
    const number = nextNumber++;
    t.github.addPull(REPO, { number, head: { sha: head(9001), ref: 'z' }, files: riskyFiles() });
    // Hold the first review's PR read until the newer push has been delivered (and stored).
    let release!: () => void;
    const released = new Promise<void>((done) => (release = done));
    const held = new Promise<void>((done) => t.github.holdNext('GET', new RegExp(`/pulls/${number}$`), released, done));
    const first = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ number, sha: head(9000), updatedAt: '2026-11-27T10:00:00Z' }),
      ...hook,
    }).expect(200);
    await held;
    const newer = deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({
        number,
        sha: head(9001),
        action: 'synchronize',
        updatedAt: '2026-11-27T10:01:00Z',
      }),
      ...hook,
    }).expect(200);
    const second = await Promise.resolve(newer).finally(release); // a failed delivery must not leave the read held
    const settled = (id: string) => eventOnce(id, ['completed', 'superseded', 'failed']);
    expect((await settled(first.body.event_id)).status).toBe('superseded');
    expect((await settled(second.body.event_id)).status).toBe('completed');
    expect(t.github.reviewsOf(REPO, number).map((r) => r.commit_id)).toEqual([head(9001)]);
    expect(t.github.statusesOf(REPO, head(9000)).at(-1)).toMatchObject({
      state: 'success',
      description: `Not reviewed: head moved on to ${head(9001).slice(0, 7)}`,
    });
  });
});

describe('a review queued before its repository was uninstalled', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('fails without setting an error status on a repository Nectr no longer serves', async () => {
    const hook = await installRepo(t, REPO, EXAMPLE_REPO.id);
    const sha = head(0xdead);
    t.github.addPull(REPO, { number: 9, head: { sha, ref: 'gone' }, files: riskyFiles() });
    const queue = t.app.get<Queue>(getQueueToken(REVIEW_QUEUE));
    await queue.pause(true);
    const res = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ number: 9, sha }),
      ...hook,
    }).expect(200);
    await waitFor(async () => (await queue.getWaitingCount()) === 1);
    await t.http.delete(`/api/v1/repos/${REPO}/install`).set(t.auth).expect(204);
    await queue.resume(true);

    const event = await waitFor(async () => {
      const { body } = await t.http.get(`/api/v1/events/${res.body.event_id}`).set(t.auth);
      return body.status === 'failed' ? body : undefined;
    }, 30_000);
    expect(event.error).toBe(`${REPO} is no longer installed`);
    expect(t.github.statusesOf(REPO, sha)).toEqual([]);
    expect(t.github.reviewsOf(REPO, 9)).toEqual([]);
  });
});
