// PROCESS_ROLE split: one api process and two worker processes over one Postgres and Redis review
// 50 pull requests, each exactly once; the api never runs a job, workers serve only /health and /metrics.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deliver, EXAMPLE_REPO, installRepo, pullRequestPayload } from './support/deliveries.js';
import { killAll, startNectr, type NectrProcess } from './support/processes.js';
import { cleanFiles, riskyFiles } from './support/pulls.js';
import { API_TOKEN, createTestApp, waitFor, type TestApp } from './support/test-app.js';

const PULLS = 50;

async function reviewCount(port: number): Promise<number> {
  const text = await (
    await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: `Bearer ${API_TOKEN}` } })
  ).text();
  return [...text.matchAll(/^nectr_review_duration_seconds_count\{outcome="completed"\} (\d+)$/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

describe('api and worker roles', () => {
  let api: TestApp;
  let workers: NectrProcess[];

  beforeAll(async () => {
    api = await createTestApp({ role: 'api' });
    const env = { ...api.env, PROCESS_ROLE: 'worker', REVIEW_CONCURRENCY: '4' };
    workers = await Promise.all([startNectr(env), startNectr(env)]);
    await Promise.all(workers.map((w) => w.healthy()));
  });
  afterAll(async () => {
    killAll();
    await api?.close();
  });

  it('a worker serves only /health and /metrics (no web UI, no API description)', async () => {
    const res = await fetch(`http://127.0.0.1:${workers[0].port}/api/v1/repos`, {
      headers: { Authorization: `Bearer ${API_TOKEN}` },
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toMatch(/PROCESS_ROLE=worker/);
    expect((await fetch(`http://127.0.0.1:${workers[0].port}/metrics`)).status).toBe(401);
    // Neither the web UI nor the API description: both belong to the processes that serve the API.
    for (const path of ['/', '/api/docs', '/api/docs-json'])
      expect([path, (await fetch(`http://127.0.0.1:${workers[0].port}${path}`)).status]).toEqual([path, 404]);
  });

  it(`reviews ${PULLS} pull requests, each exactly once, in the worker processes only`, async () => {
    const hook = await installRepo(api, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    const ids: string[] = [];
    for (let number = 1; number <= PULLS; number++) {
      const sha = number.toString(16).padStart(40, '0');
      api.github.addPull(EXAMPLE_REPO.fullName, {
        number,
        head: { sha, ref: `b${number}` },
        files: number % 2 ? riskyFiles() : cleanFiles(),
      });
      const res = await deliver(api, {
        event: 'pull_request',
        payload: pullRequestPayload({ number, sha }),
        ...hook,
      }).expect(200);
      ids.push(res.body.event_id);
    }
    await waitFor(
      async () => {
        const [{ n }] = await api.db.query(`SELECT count(*)::int AS n FROM events WHERE status = 'completed'`);
        return n === PULLS;
      },
      60_000,
      250,
    );
    for (let number = 1; number <= PULLS; number++)
      expect(api.github.reviewsOf(EXAMPLE_REPO.fullName, number)).toHaveLength(1);
    const perWorker = await Promise.all(workers.map((w) => reviewCount(w.port)));
    expect(perWorker[0] + perWorker[1]).toBe(PULLS);
    expect(perWorker.every((n) => n > 0)).toBe(true);
    const apiMetrics = await api.http.get('/metrics').set(api.auth).expect(200);
    expect(apiMetrics.text).not.toMatch(/^nectr_review_duration_seconds_count\{/m);
  });
});
