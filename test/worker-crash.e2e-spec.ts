// A worker killed (SIGKILL) in the middle of a review, after GitHub created the review but before
// Nectr recorded it: a restarted worker picks the job up again and the marker keeps it to one review.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deliver, EXAMPLE_REPO, installRepo, pullRequestPayload, settledEvent } from './support/deliveries.js';
import { killAll, startNectr, type NectrProcess } from './support/processes.js';
import { riskyFiles } from './support/pulls.js';
import { API_TOKEN, createTestApp, waitFor, type TestApp } from './support/test-app.js';

/** Review runs this process has ended, whatever their outcome. */
async function reviewRuns(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: `Bearer ${API_TOKEN}` } });
  return [...(await res.text()).matchAll(/^nectr_review_duration_seconds_count\{[^}]*\} (\d+)$/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

describe('worker killed mid-review', () => {
  let api: TestApp;
  const workerEnv = () => ({ ...api.env, PROCESS_ROLE: 'worker', QUEUE_LOCK_MS: '2000', LOG_LEVEL: 'warn' });

  beforeAll(async () => {
    api = await createTestApp({ role: 'api' });
  });
  afterAll(async () => {
    killAll();
    await api?.close();
  });

  it('restarts, finds the review already posted, and records it: exactly one review', async () => {
    const hook = await installRepo(api, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    const sha = '5'.repeat(40);
    api.github.addPull(EXAMPLE_REPO.fullName, { number: 77, head: { sha, ref: 'crash' }, files: riskyFiles() });
    const started: { first?: NectrProcess } = {};
    // GitHub creates the review, but the answer never reaches the worker: it dies first.
    api.github.slowNext('POST', /\/pulls\/77\/reviews$/, 60_000, () => void started.first?.kill('SIGKILL'));
    const first = (started.first = await startNectr(workerEnv()));
    await first.healthy();

    const res = await deliver(api, {
      event: 'pull_request',
      payload: pullRequestPayload({ number: 77, sha }),
      ...hook,
    }).expect(200);
    expect(await first.exited).toBe('SIGKILL');
    expect(api.github.reviewsOf(EXAMPLE_REPO.fullName, 77)).toHaveLength(1);
    expect((await api.db.query('SELECT status FROM events WHERE id = $1', [res.body.event_id]))[0].status).toBe(
      'processing',
    );

    const second = await startNectr(workerEnv());
    const event = await waitFor(
      async () => {
        const { body } = await api.http.get(`/api/v1/events/${res.body.event_id}`).set(api.auth);
        return body.status === 'completed' ? body : undefined;
      },
      30_000,
      200,
    );
    const reviews = api.github.reviewsOf(EXAMPLE_REPO.fullName, 77);
    expect(reviews).toHaveLength(1);
    expect(event.review_url).toBe(reviews[0].html_url);
    expect(event.attempts).toBe(2);
    await second.kill('SIGTERM');
  }, 120_000); // above its own waits: two worker boots and the 30 s wait for the event

  it('a worker frozen after its claim resumes once another finished the job: one review, no Redis alarm', async () => {
    const hook = await installRepo(api, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    // A configuration file, so that each run reads it: the first worker freezes (SIGSTOP) there.
    api.github.repo(EXAMPLE_REPO.fullName).files!.set('.nectr.yml', 'review:\n  max_files: 300\n');
    const sha = '6'.repeat(40);
    api.github.addPull(EXAMPLE_REPO.fullName, { number: 78, head: { sha, ref: 'frozen' }, files: riskyFiles() });
    const started: { first?: NectrProcess } = {};
    let froze!: () => void;
    const frozen = new Promise<void>((resolve) => (froze = resolve));
    api.github.holdRequest('GET', /\/contents\/\.nectr\.yml$/, frozen, () => {
      started.first?.child.kill('SIGSTOP');
      froze();
    });
    const first = (started.first = await startNectr(workerEnv()));
    await first.healthy();
    const res = await deliver(api, {
      event: 'pull_request',
      payload: pullRequestPayload({ number: 78, sha }),
      ...hook,
    }).expect(200);
    await frozen;
    // Its lock lapses; another worker runs the job to the end (and Bull removes it).
    const second = await startNectr(workerEnv());
    expect(await settledEvent(api, res.body.event_id)).toMatchObject({ status: 'completed', attempts: 2 });
    first.child.kill('SIGCONT');
    // Its run goes on to the end (counted in its /metrics), then Bull refuses to settle the job for
    // it. Bull's words depend on where the job is by then (removed, back in the stalled check, ...).
    await waitFor(async () => (await reviewRuns(first.port)) === 1, 20_000, 100);
    await waitFor(() => first.output().includes('already settled by another run'), 10_000, 100);
    expect(api.github.reviewsOf(EXAMPLE_REPO.fullName, 78)).toHaveLength(1);
    expect(api.github.statusesOf(EXAMPLE_REPO.fullName, sha).at(-1)).toMatchObject({ state: 'failure' });
    // Redis answered all along: no line sends the operator looking for it.
    expect(first.output()).not.toContain('Cannot use Redis');
    await Promise.all([first.kill('SIGTERM'), second.kill('SIGTERM')]);
  }, 60_000);
});
