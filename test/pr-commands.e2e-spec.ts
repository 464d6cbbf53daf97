// `/nectr` commands in pull-request comments (REVIEW.md §4), end to end: delivered as GitHub
// sends issue_comment, stored and queued like any review, run by the worker against the fake GitHub.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  commentPayload,
  deliver,
  EXAMPLE_REPO,
  installRepo,
  pullRequestPayload,
  settledEvent,
} from './support/deliveries.js';
import { riskyFiles } from './support/pulls.js';
import { createTestApp, waitFor, type TestApp } from './support/test-app.js';

const REPO = EXAMPLE_REPO.fullName;

describe('/nectr commands', () => {
  let t: TestApp;
  let hook: { hookId: number; secret: string };
  let nextNumber = 300;

  beforeAll(async () => {
    t = await createTestApp();
    hook = await installRepo(t, REPO, EXAMPLE_REPO.id);
  });
  afterAll(() => t?.close());

  const eventOf = (id: string) => settledEvent(t, id);
  const reactions = (commentId: number) => t.github.repo(REPO).reactions!.get(commentId) ?? [];

  function openPull(sha = randomUUID().replace(/-/g, '').padEnd(40, '0').slice(0, 40)) {
    const number = nextNumber++;
    t.github.addPull(REPO, { number, head: { sha, ref: `f${number}` }, files: riskyFiles() });
    return { number, sha };
  }

  async function comment(number: number, body: string, options: Parameters<typeof commentPayload>[2] = {}) {
    const payload = commentPayload(number, body, options);
    const deliveryId = randomUUID();
    const res = await deliver(t, { event: 'issue_comment', payload, deliveryId, ...hook }).expect(200);
    expect(res.body).toMatchObject({ status: 'received', event_type: 'created_issue_comment' });
    return { eventId: res.body.event_id as string, commentId: payload.comment.id, payload, deliveryId };
  }

  async function push(number: number, sha: string) {
    t.github.repo(REPO).pulls.get(number)!.head.sha = sha;
    const res = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ number, sha, action: 'synchronize' }),
      ...hook,
    }).expect(200);
    return eventOf(res.body.event_id);
  }

  it('re-installing with issue_comment updates the hook’s events on GitHub', async () => {
    const res = await t.http
      .post(`/api/v1/repos/${REPO}/install`)
      .set(t.auth)
      .send({ events: ['pull_request', 'issue_comment'] })
      .expect(200);
    expect(res.body.events).toEqual(['pull_request', 'issue_comment']);
    expect(t.github.repo(REPO).hooks.get(hook.hookId)!.events).toEqual(['pull_request', 'issue_comment']);
    expect(t.github.calls('PATCH', new RegExp(`/hooks/${hook.hookId}$`))).toHaveLength(1);
  });

  it('/nectr review from a MEMBER: stored once, 👀 on the comment, then a full review of the current head', async () => {
    const { number, sha } = openPull();
    const payload = commentPayload(number, '/nectr review');
    const deliveryId = randomUUID();
    // GitHub may deliver the same comment twice at once: one event, one review.
    const answers = await Promise.all(
      [1, 2].map(() => deliver(t, { event: 'issue_comment', payload, deliveryId, ...hook }).expect(200)),
    );
    expect(answers.map((a) => a.body.status as string).sort()).toEqual(['duplicate_skipped', 'received']);
    const event = await eventOf(answers[0].body.event_id);
    expect(event).toMatchObject({
      status: 'completed',
      review_url: expect.any(String),
      event_type: 'created_issue_comment',
    });
    expect(reactions(payload.comment.id)).toEqual([expect.objectContaining({ content: 'eyes' })]);
    const reviews = t.github.reviewsOf(REPO, number);
    expect(reviews).toHaveLength(1);
    expect(reviews[0].commit_id).toBe(sha);
    expect(reviews[0].comments.some((c) => c.body.includes('secrets/aws-access-key'))).toBe(true);
  });

  it('does nothing for the same comment from a NONE user, a bot, or a [bot] login: stored as received', async () => {
    const { number } = openPull();
    const ignored = [
      await comment(number, '/nectr review', { association: 'NONE', login: 'passer-by' }),
      await comment(number, '/nectr review', { association: 'MEMBER', login: 'ci', type: 'Bot' }),
      await comment(number, '/nectr review', { association: 'OWNER', login: 'nectr-app[bot]' }),
      await comment(number, 'Thanks!\n/nectr review'),
    ];
    // A taken command after them, to know the worker has been through the queue.
    const help = await comment(number, '/nectr help');
    await eventOf(help.eventId);
    for (const { eventId, commentId } of ignored) {
      const { body } = await t.http.get(`/api/v1/events/${eventId}`).set(t.auth).expect(200);
      expect(body.status).toBe('received');
      expect(reactions(commentId)).toEqual([]);
    }
    expect(t.github.reviewsOf(REPO, number)).toEqual([]);
  });

  it('/nectr help replies with the list of commands', async () => {
    const { number } = openPull();
    const help = await comment(number, '/nectr help');
    expect(await eventOf(help.eventId)).toMatchObject({ status: 'completed', review_url: null });
    const replies = t.github.repo(REPO).comments!.get(number) ?? [];
    expect(replies).toHaveLength(1);
    for (const name of ['review', 'pause', 'resume', 'help']) expect(replies[0].body).toContain(`/nectr ${name}`);
    expect(reactions(help.commentId)).toEqual([expect.objectContaining({ content: 'eyes' })]);
  });

  it('/nectr pause stops automatic reviews of that PR until /nectr resume', async () => {
    const { number } = openPull();
    const other = openPull();
    expect(await eventOf((await comment(number, '/nectr pause')).eventId)).toMatchObject({
      status: 'completed',
      note: 'Automatic reviews paused by maintainer',
    });

    const paused = await push(number, 'd'.repeat(40));
    expect(paused).toMatchObject({
      status: 'completed',
      review_url: null,
      note: 'Not reviewed: reviews of this pull request are paused (/nectr resume restarts them)',
    });
    expect(t.github.reviewsOf(REPO, number)).toEqual([]);
    // Another PR of the repository is still reviewed.
    expect((await push(other.number, 'e'.repeat(40))).review_url).toEqual(expect.any(String));

    await eventOf((await comment(number, '/nectr resume')).eventId);
    // The paused head was not reviewed: the review after resume is of the whole PR, not of d…..f….
    const resumed = await push(number, 'f'.repeat(40));
    expect(resumed).toMatchObject({ status: 'completed', review_url: expect.any(String) });
    expect(t.github.calls('GET', /\/compare\//)).toEqual([]);
    expect(t.github.reviewsOf(REPO, number)).toHaveLength(1);
  });

  it('/nectr review after the automatic review repeats no finding already posted', async () => {
    const { number, sha } = openPull();
    const payload = pullRequestPayload({ number, sha });
    await eventOf((await deliver(t, { event: 'pull_request', payload, ...hook }).expect(200)).body.event_id);
    const [automatic] = t.github.reviewsOf(REPO, number);
    expect(automatic.comments.length).toBeGreaterThan(0);
    const asked = await eventOf((await comment(number, '/nectr review')).eventId);
    expect(asked).toMatchObject({ status: 'completed', review_url: expect.any(String) });
    const reviews = t.github.reviewsOf(REPO, number);
    expect(reviews).toHaveLength(2);
    expect(reviews[1].comments).toEqual([]);
  });

  it('/nectr review on a closed PR: superseded, its head keeps the verdict it had', async () => {
    const { number, sha } = openPull();
    const payload = pullRequestPayload({ number, sha });
    await eventOf((await deliver(t, { event: 'pull_request', payload, ...hook }).expect(200)).body.event_id);
    const before = t.github.statusesOf(REPO, sha).length;
    t.github.repo(REPO).pulls.get(number)!.state = 'closed';
    const asked = await eventOf((await comment(number, '/nectr review')).eventId);
    expect(asked).toMatchObject({ status: 'superseded', error: 'Pull request is closed' });
    expect(t.github.statusesOf(REPO, sha)).toHaveLength(before);
    expect(t.github.reviewsOf(REPO, number)).toHaveLength(1);
  });

  it('/nectr review stopped by the PR closing: its head gets back the verdict it had, not pending', async () => {
    const { number, sha } = openPull();
    const payload = pullRequestPayload({ number, sha });
    await eventOf((await deliver(t, { event: 'pull_request', payload, ...hook }).expect(200)).body.event_id);
    const verdict = t.github.statusesOf(REPO, sha).at(-1)!;
    expect(verdict).toMatchObject({ state: 'failure' });
    // The command's review sets pending, then the PR is closed while it reads the files.
    let release!: () => void;
    const released = new Promise<void>((done) => (release = done));
    const reading = new Promise<void>((done) =>
      t.github.holdNext('GET', new RegExp(`/pulls/${number}/files$`), released, done),
    );
    const asking = comment(number, '/nectr review');
    await reading;
    t.github.repo(REPO).pulls.get(number)!.state = 'closed';
    release();
    expect(await eventOf((await asking).eventId)).toMatchObject({ status: 'superseded' });
    const statuses = t.github.statusesOf(REPO, sha);
    expect(statuses.at(-2)).toMatchObject({ state: 'pending' });
    expect(statuses.at(-1)).toEqual(verdict);
    expect(t.github.reviewsOf(REPO, number)).toHaveLength(1);
  });

  it('/nectr review while the automatic review runs: each finding is posted once', async () => {
    const { number, sha } = openPull();
    // The automatic review reads what Nectr said on the PR (nothing yet), then waits for its answer
    // while the command's review reads the same nothing and posts its findings.
    let release!: () => void;
    const released = new Promise<void>((done) => (release = done));
    const automaticRead = new Promise<void>((done) =>
      t.github.holdNext('GET', new RegExp(`/pulls/${number}/comments$`), released, done),
    );
    const opened = await deliver(t, { event: 'pull_request', payload: pullRequestPayload({ number, sha }), ...hook });
    await automaticRead;
    const asked = await eventOf((await comment(number, '/nectr review')).eventId);
    expect(asked).toMatchObject({ status: 'completed', review_url: expect.any(String) });
    release();
    expect(await eventOf(opened.body.event_id)).toMatchObject({
      status: 'completed',
      review_url: null,
      note: `No new findings since ${sha.slice(0, 7)}`,
    });

    const reviews = t.github.reviewsOf(REPO, number);
    expect(reviews).toHaveLength(1);
    const fingerprints = reviews.flatMap((r) => r.comments.map((c) => /fp=([0-9a-f]+)/.exec(c.body)?.[1]));
    expect(fingerprints.length).toBeGreaterThan(0);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    expect(t.github.statusesOf(REPO, sha).at(-1)).toMatchObject({ state: 'failure' });
  });

  it('/nectr review while the automatic review is posting: it waits, then posts only its summary', async () => {
    const { number, sha } = openPull();
    // GitHub acts on the automatic review's post only when released: until then the PR shows no
    // finding, and the command's review, which read that, must not post them alongside.
    let release!: () => void;
    const released = new Promise<void>((done) => (release = done));
    const automaticPosting = new Promise<void>((done) =>
      t.github.holdRequest('POST', new RegExp(`/pulls/${number}/reviews$`), released, done),
    );
    const opened = await deliver(t, { event: 'pull_request', payload: pullRequestPayload({ number, sha }), ...hook });
    await automaticPosting;
    const asking = await comment(number, '/nectr review');
    // The command's review has read the PR (no finding posted yet) and waits for the lease.
    await waitFor(() => t.github.calls('GET', new RegExp(`/pulls/${number}/comments$`)).length >= 2, 30_000);
    await new Promise((resume) => setTimeout(resume, 1_000));
    expect(t.github.reviewsOf(REPO, number)).toEqual([]);
    release();
    const [automatic, asked] = [await eventOf(opened.body.event_id), await eventOf(asking.eventId)];
    expect(automatic).toMatchObject({ status: 'completed', review_url: expect.any(String) });
    expect(asked).toMatchObject({ status: 'completed', review_url: expect.any(String) });

    const reviews = t.github.reviewsOf(REPO, number);
    expect(reviews).toHaveLength(2);
    expect(reviews[0].comments.length).toBeGreaterThan(0);
    expect(reviews[1].comments).toEqual([]);
  });

  it('a draft reviewed on /nectr review: marked ready at the same head, it posts nothing new', async () => {
    const { number, sha } = openPull();
    const pullEvent = async (action: string, draft: boolean) => {
      const payload = pullRequestPayload({ number, sha, action, draft });
      return eventOf((await deliver(t, { event: 'pull_request', payload, ...hook }).expect(200)).body.event_id);
    };
    expect((await pullEvent('opened', true)).note).toMatch(/^Not reviewed: draft/);
    const asked = await eventOf((await comment(number, '/nectr review please')).eventId);
    expect(asked).toMatchObject({ status: 'completed', review_url: expect.any(String) });
    // The command's review is the PR's last reviewed head: nothing new since, so no second summary.
    expect(await pullEvent('ready_for_review', false)).toMatchObject({
      status: 'completed',
      review_url: null,
      note: `No new findings since ${sha.slice(0, 7)}`,
    });
    expect(t.github.reviewsOf(REPO, number)).toHaveLength(1);
  });

  it('asked GitHub for the missing .nectr.yml once for all these reviews (a 404 costs rate limit)', () => {
    expect(t.github.calls('GET', /\/contents\/\.nectr\.yml$/)).toHaveLength(1);
  });
});

describe('/nectr review that fails', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { REVIEW_ATTEMPTS: '2', REVIEW_BACKOFF_MS: '100', GITHUB_RETRY_BASE_MS: '10' } });
  });
  afterAll(() => t?.close());

  it('sets the error status on the head it set pending, not leaving it pending', async () => {
    const hook = await installRepo(t, REPO, EXAMPLE_REPO.id);
    const sha = 'c'.repeat(40);
    t.github.addPull(REPO, { number: 8, head: { sha, ref: 'f8' }, files: riskyFiles() });
    t.github.failNext('GET', /\/pulls\/8\/files$/, 500, { times: 20 });
    try {
      const res = await deliver(t, { event: 'issue_comment', payload: commentPayload(8, '/nectr review'), ...hook });
      const event = await settledEvent(t, res.body.event_id);
      expect(event.status).toBe('failed');
      await waitFor(() => t.github.statusesOf(REPO, sha).at(-1)?.state === 'error');
      expect(t.github.statusesOf(REPO, sha).map((s) => s.state)).toContain('pending');
    } finally {
      t.github.clearFailures();
    }
  });
});

describe('/nectr help when GitHub times out after creating the reply', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { GITHUB_TIMEOUT_MS: '1000' } });
  });
  afterAll(() => t?.close());

  it('replies once: the job looks for its reply before posting again', async () => {
    const hook = await installRepo(t, REPO, EXAMPLE_REPO.id);
    t.github.addPull(REPO, { number: 7, files: riskyFiles() });
    t.github.slowNext('POST', /\/issues\/7\/comments$/, 1500);
    const res = await deliver(t, { event: 'issue_comment', payload: commentPayload(7, '/nectr help'), ...hook }).expect(
      200,
    );
    const event = await settledEvent(t, res.body.event_id);
    expect(event.status).toBe('completed');
    const replies = t.github.repo(REPO).comments!.get(7) ?? [];
    expect(replies).toHaveLength(1);
    expect(replies[0].body).toContain(`<!-- nectr-command:event=${event.id} -->`);
  });

  it('replies once when its look after the timeout fails too: the retried job looks again first', async () => {
    const hook = await installRepo(t, REPO, EXAMPLE_REPO.id);
    t.github.addPull(REPO, { number: 9, files: riskyFiles() });
    t.github.slowNext('POST', /\/issues\/9\/comments$/, 1500);
    // The look right after the timeout fails as well (a 404, which octokit does not retry): the attempt fails.
    t.github.failNext('GET', /\/issues\/9\/comments/, 404);
    const res = await deliver(t, { event: 'issue_comment', payload: commentPayload(9, '/nectr help'), ...hook }).expect(
      200,
    );
    const event = await waitFor(async () => {
      const { body } = await t.http.get(`/api/v1/events/${res.body.event_id}`).set(t.auth);
      return ['completed', 'failed'].includes(body.status) ? body : undefined;
    }, 30_000);
    expect(event).toMatchObject({ status: 'completed', attempts: 2 });
    const replies = t.github.repo(REPO).comments!.get(9) ?? [];
    expect(replies).toHaveLength(1);
  });
});
