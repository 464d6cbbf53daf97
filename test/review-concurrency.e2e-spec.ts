// REVIEW_CONCURRENCY (API.md: review jobs run at once per worker process, default 2): with every
// review held at its first GitHub call, the number held at once is the worker's concurrency.
import { afterEach, describe, expect, it } from '@jest/globals';
import { deliver, EXAMPLE_REPO, installRepo, pullRequestPayload } from './support/deliveries.js';
import { cleanFiles } from './support/pulls.js';
import { createTestApp, waitFor, type TestApp } from './support/test-app.js';

const REPO = EXAMPLE_REPO.fullName;
const PULLS = 5;

describe('REVIEW_CONCURRENCY', () => {
  let t: TestApp | undefined;
  let release: () => void = () => undefined;
  afterEach(async () => {
    release(); // a failed check must not leave the held calls (and the app's close) waiting
    await t?.close();
  });

  it.each([
    ['unset (the default, 2)', undefined, 2],
    ['3', '3', 3],
  ])(
    'runs as many reviews at once as it says when %s',
    async (_name, setting, expected) => {
      // A held call must not time out: a retried job would be counted as one more running at once.
      t = await createTestApp({ env: { REVIEW_CONCURRENCY: setting, GITHUB_TIMEOUT_MS: '60000' } });
      const app = t;
      const hook = await installRepo(app, REPO, EXAMPLE_REPO.id);
      const gate = new Promise<void>((resolve) => (release = resolve));
      let held = 0;
      const ids: string[] = [];
      for (let number = 1; number <= PULLS; number++) {
        const sha = number.toString(16).padStart(40, 'c');
        app.github.addPull(REPO, { number, head: { sha, ref: `b${number}` }, files: cleanFiles() });
        // Each review's first call for its pull request waits for the gate.
        app.github.holdRequest('GET', new RegExp(`/pulls/${number}(/|$)`), gate, () => held++);
        const res = await deliver(app, {
          event: 'pull_request',
          payload: pullRequestPayload({ number, sha }),
          ...hook,
        }).expect(200);
        ids.push(res.body.event_id);
      }
      await waitFor(() => held >= expected, 10_000, 50);
      // Time for a worker that runs more at once to take another job.
      await new Promise((r) => setTimeout(r, 1500));
      expect(held).toBe(expected);
      release();
      await waitFor(async () => {
        const rows = await app.db.query(
          `SELECT count(*) AS n FROM events WHERE id = ANY($1) AND status = 'completed'`,
          [ids],
        );
        return Number(rows[0].n) === PULLS;
      }, 40_000);
      expect(held).toBe(PULLS);
    },
    90_000,
  );
});
