// Heads that move while a review runs, and faults around the post: never a review on a stale head,
// never one posted twice.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deliver, EXAMPLE_REPO, installRepo, pullRequestPayload } from './support/deliveries.js';
import { added, LINE } from './support/patches.js';
import { createTestApp, waitFor, type TestApp } from './support/test-app.js';

const REPO = EXAMPLE_REPO.fullName;
const sha = (n: number) => n.toString(16).padStart(40, 'd');
const at = (second: number) => new Date(Date.UTC(2026, 10, 28, 9, 0, second)).toISOString();

describe('review faults', () => {
  let t: TestApp;
  let hook: { hookId: number; secret: string };

  beforeAll(async () => {
    // Writes paced as in production (1 s there): posts wait their turn while pushes keep coming.
    t = await createTestApp({
      env: {
        GITHUB_WRITE_INTERVAL_MS: '1500',
        REVIEW_ATTEMPTS: '3',
        REVIEW_BACKOFF_MS: '100',
        GITHUB_RETRY_BASE_MS: '10',
      },
    });
    hook = await installRepo(t, REPO, EXAMPLE_REPO.id);
    // Past .nectr.yml's default review.max_files (300) a PR gets a summary only: the 3000-file case raises it.
    t.github.repo(REPO).files!.set('.nectr.yml', 'review:\n  max_files: 3000\n');
  });
  afterAll(() => t?.close());

  const send = (number: number, head: string, second: number, action = 'synchronize') =>
    deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ number, sha: head, action, updatedAt: at(second) }),
      ...hook,
    }).expect(200);
  /** Holds GitHub's answer to the next read of PR `number`'s files: `read` once it is asked, until `release()`. */
  const holdFilesRead = (number: number) => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reading!: () => void;
    const read = new Promise<void>((resolve) => (reading = resolve));
    t.github.holdNext('GET', new RegExp(`/pulls/${number}/files$`), held, () => reading());
    return { read, release };
  };
  const settled = (ids: string[]) =>
    waitFor(
      async () => {
        const { body } = await t.http.get(`/api/v1/events?limit=500`).set(t.auth);
        const mine = (body as Array<{ id: string; status: string }>).filter((e) => ids.includes(e.id));
        return mine.length === ids.length && mine.every((e) => ['completed', 'superseded', 'failed'].includes(e.status))
          ? mine
          : undefined;
      },
      60_000,
      200,
    );

  it('20 rapid pushes post one review, on the newest head', async () => {
    const number = 60;
    const files = [added('src/a.ts', [LINE.B])];
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      if (i === 0) t.github.addPull(REPO, { number, head: { sha: sha(i), ref: 'r' }, files });
      else t.github.push(REPO, number, { sha: sha(i), files, compare: false });
      ids.push((await send(number, sha(i), i, i === 0 ? 'opened' : 'synchronize')).body.event_id as string);
    }
    const events = await settled(ids);
    expect(t.github.reviewsOf(REPO, number).map((r) => r.commit_id)).toEqual([sha(19)]);
    expect(events.filter((e) => e.status === 'completed')).toHaveLength(1);
  }, 90_000);

  it('five pushes stamped within the same second: one review, on the newest head', async () => {
    // GitHub's updated_at counts whole seconds: pushes that close together tie, and arrive in order.
    const number = 65;
    const files = [added('src/a.ts', [LINE.B])];
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      if (i === 0) t.github.addPull(REPO, { number, head: { sha: sha(650 + i), ref: 'w' }, files });
      else t.github.push(REPO, number, { sha: sha(650 + i), files, compare: false });
      ids.push((await send(number, sha(650 + i), 40, i === 0 ? 'opened' : 'synchronize')).body.event_id as string);
    }
    const events = await settled(ids);
    expect(t.github.reviewsOf(REPO, number).map((r) => r.commit_id)).toEqual([sha(654)]);
    expect(events.filter((e) => e.status === 'completed')).toHaveLength(1);
  }, 60_000);

  it('the newest head delivered first, then older ones: no review on a stale head', async () => {
    const number = 61;
    const files = [added('src/a.ts', [LINE.B])];
    t.github.addPull(REPO, { number, head: { sha: sha(110), ref: 's' }, files });
    const newest = (await send(number, sha(110), 30)).body.event_id as string;
    await settled([newest]);
    const older: string[] = [];
    for (let i = 1; i <= 9; i++) older.push((await send(number, sha(100 + i), 20 + i)).body.event_id as string);
    const events = await settled(older);
    expect(events.map((e) => e.status)).toEqual(Array(9).fill('superseded'));
    expect(t.github.reviewsOf(REPO, number).map((r) => r.commit_id)).toEqual([sha(110)]);
  }, 60_000);

  it('a push reverted while the first head is still being reviewed: no review on the reverted head', async () => {
    const number = 64;
    const files = [added('src/a.ts', [LINE.B])];
    const [first, second] = [sha(640), sha(641)];
    t.github.addPull(REPO, { number, head: { sha: first, ref: 'v' }, files });
    // The first head's review is under way (claimed, reading the files) while the PR moves on.
    const { read, release } = holdFilesRead(number);
    const opened = (await send(number, first, 0, 'opened')).body.event_id as string;
    await read;
    t.github.push(REPO, number, { sha: second, files, compare: false });
    const pushed = (await send(number, second, 1)).body.event_id as string;
    // Force-pushed back: the first head again, now the newest.
    t.github.push(REPO, number, { sha: first, files, compare: false });
    const reverted = await send(number, first, 2);
    release();
    const ids =
      reverted.body.status === 'received' ? [opened, pushed, reverted.body.event_id as string] : [opened, pushed];
    await settled(ids);
    expect(t.github.reviewsOf(REPO, number).map((r) => r.commit_id)).toEqual([first]);
    expect(t.github.statusesOf(REPO, first).at(-1)).toMatchObject({ state: 'failure' });
  }, 60_000);

  it('a push with nothing new, overtaken while reviewed by a newer push: superseded, its head not left pending', async () => {
    const number = 67;
    const files = [added('src/a.ts', [LINE.B])];
    const [first, second, third] = [sha(670), sha(671), sha(672)];
    t.github.addPull(REPO, { number, head: { sha: first, ref: 'q' }, files });
    const opened = (await send(number, first, 0, 'opened')).body.event_id as string;
    await settled([opened]);
    // The second head's review reads the files (held) while the third head is pushed and reviewed.
    const { read, release } = holdFilesRead(number);
    t.github.push(REPO, number, { sha: second, files, range: [] });
    const pushed = (await send(number, second, 1)).body.event_id as string;
    await read;
    t.github.push(REPO, number, { sha: third, files, range: [] });
    const newest = (await send(number, third, 2)).body.event_id as string;
    await settled([newest]);
    release();
    const events = await settled([pushed, newest]);
    expect(events.find((e) => e.id === pushed)?.status).toBe('superseded');
    expect(events.find((e) => e.id === newest)?.status).toBe('completed');
    expect(t.github.reviewsOf(REPO, number)).toHaveLength(1);
    expect(t.github.statusesOf(REPO, second).at(-1)?.state).toBe('success');
    expect(t.github.statusesOf(REPO, third).at(-1)?.state).toBe('failure');
  }, 60_000);

  it('a run retried after a newer push arrived leaves its head no `pending` status', async () => {
    const number = 66;
    const files = [added('src/a.ts', [LINE.B])];
    const [first, second] = [sha(660), sha(661)];
    t.github.addPull(REPO, { number, head: { sha: first, ref: 'w' }, files });
    // The first run sets `pending`, then fails reading the files (a 403 octokit does not retry),
    // late enough for the push to be delivered before the job's retry looks for a newer head.
    t.github.failNext('GET', new RegExp(`/pulls/${number}/files$`), 403, { delayMs: 1500 });
    const opened = (await send(number, first, 0, 'opened')).body.event_id as string;
    await waitFor(() => t.github.statusesOf(REPO, first).length > 0);
    t.github.push(REPO, number, { sha: second, files, compare: false });
    const pushed = (await send(number, second, 1)).body.event_id as string;
    const events = await settled([opened, pushed]);
    expect(events.find((e) => e.id === opened)?.status).toBe('superseded');
    expect(t.github.reviewsOf(REPO, number).map((r) => r.commit_id)).toEqual([second]);
    expect(t.github.statusesOf(REPO, first).at(-1)).toMatchObject({
      state: 'success',
      description: 'Not reviewed: a newer head was delivered',
    });
  }, 60_000);

  it('a crash between the review and the status never posts the review twice', async () => {
    const number = 62;
    t.github.addPull(REPO, { number, head: { sha: sha(62), ref: 't' }, files: [added('src/a.ts', [LINE.B])] });
    // Once the review is on GitHub, the final status fails past octokit's retries: the job's next
    // attempt must find the review, not post another.
    t.github.onReview(() => {
      t.github.failNext('POST', new RegExp(`/statuses/${sha(62)}$`), 500, { times: 4 });
    });
    try {
      const id = (await send(number, sha(62), 0, 'opened')).body.event_id as string;
      const [event] = await settled([id]);
      expect(event.status).toBe('completed');
      const { body } = await t.http.get(`/api/v1/events/${id}`).set(t.auth);
      expect(body.attempts).toBe(2);
      expect(t.github.reviewsOf(REPO, number)).toHaveLength(1);
      expect(body.review_url).toBe(t.github.reviewsOf(REPO, number)[0].html_url);
      expect(t.github.statusesOf(REPO, sha(62)).at(-1)).toMatchObject({ state: 'failure' });
    } finally {
      t.github.onReview(() => undefined);
      t.github.clearFailures();
    }
  }, 60_000);

  it('reviews a 3000-file PR (GitHub lists no more) and keeps unseen findings open', async () => {
    const number = 63;
    const files = Array.from({ length: 3100 }, (_, i) => added(`gen/f${i}.ts`, [`export const v${i} = ${i};`]));
    files[5] = added('gen/f5.ts', [LINE.B]);
    t.github.addPull(REPO, { number, head: { sha: sha(63), ref: 'u' }, files });
    const id = (await send(number, sha(63), 0, 'opened')).body.event_id as string;
    const [event] = await settled([id]);
    expect(event.status).toBe('completed');
    const [review] = t.github.reviewsOf(REPO, number);
    expect(review.comments.map((c) => c.path)).toEqual(['gen/f5.ts']);
    const lists = t.github.calls('GET', new RegExp(`/pulls/${number}/files$`));
    expect(lists).toHaveLength(30);

    // A push after which GitHub lists gen/f5.ts past its 3000 files: nothing shows it fixed.
    const notes = added('NOTES.md', ['Words.']);
    const later = [...files.filter((f) => f.filename !== 'gen/f5.ts'), notes, files[5]];
    t.github.push(REPO, number, { sha: sha(64), files: later, range: [notes] });
    const [next] = await settled([(await send(number, sha(64), 1)).body.event_id as string]);
    expect(next).toMatchObject({ status: 'completed', review_url: null });
    expect(t.github.threadsOf(REPO, number).map((th) => [th.comment.path, th.isResolved])).toEqual([
      ['gen/f5.ts', false],
    ]);
    expect(t.github.statusesOf(REPO, sha(64)).at(-1)).toMatchObject({
      state: 'failure',
      description: expect.stringContaining('2 open findings (1 high)'),
    });
  }, 60_000);
});
