// EVENT_RETENTION_DAYS: the sweep deletes settled events past it and never a pending or running one.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deliver, example, EXAMPLE_REPO, installRepo } from './support/deliveries.js';
import { createTestApp, waitFor, type TestApp } from './support/test-app.js';

describe('event retention', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ role: 'api', env: { EVENT_RETENTION_DAYS: '1', SWEEP_INTERVAL_SECONDS: '1' } });
  });
  afterAll(() => t?.close());

  it('deletes received, completed, failed and superseded events older than the retention, and keeps the rest', async () => {
    const hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    const cases = [
      { status: 'received', old: true, kept: false },
      { status: 'completed', old: true, kept: false },
      { status: 'failed', old: true, kept: false },
      { status: 'superseded', old: true, kept: false },
      { status: 'pending', old: true, kept: true },
      { status: 'processing', old: true, kept: true },
      { status: 'completed', old: false, kept: true },
    ];
    const ids: string[] = [];
    for (const c of cases) {
      const { body } = await deliver(t, { event: 'push', payload: example('push'), ...hook }).expect(200);
      const age = c.old ? '25 hours' : '23 hours';
      await t.db.query(`UPDATE events SET status = $2, created_at = now() - $3::interval WHERE id = $1`, [
        body.event_id,
        c.status,
        age,
      ]);
      ids.push(body.event_id);
    }
    const remaining = async () =>
      new Set(
        (await t.db.query(`SELECT id FROM events WHERE id = ANY($1::uuid[])`, [ids])).map((r: { id: string }) => r.id),
      );
    await waitFor(async () => (await remaining()).size === cases.filter((c) => c.kept).length, 15_000, 200);
    const left = await remaining();
    expect(cases.map((c, i) => ({ ...c, present: left.has(ids[i]) }))).toEqual(
      cases.map((c) => ({ ...c, present: c.kept })),
    );
  });
});

describe('resolved findings retention', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { EVENT_RETENTION_DAYS: '1', SWEEP_INTERVAL_SECONDS: '1' } });
  });
  afterAll(() => t?.close());

  it("forgets the threads Nectr resolved past the retention, as their pull request's events go", async () => {
    await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    const [{ id }] = await t.db.query(`SELECT id FROM installations WHERE full_name = $1`, [EXAMPLE_REPO.fullName]);
    for (const [fingerprint, age] of [
      ['a'.repeat(24), '25 hours'],
      ['b'.repeat(24), '23 hours'],
    ])
      await t.db.query(
        `INSERT INTO resolved_findings (installation_id, pr_number, fingerprint, resolved_at)
         VALUES ($1, 7, $2, now() - $3::interval)`,
        [id, fingerprint, age],
      );
    const left = async () =>
      (await t.db.query(`SELECT fingerprint FROM resolved_findings WHERE installation_id = $1`, [id])).map(
        (r: { fingerprint: string }) => r.fingerprint,
      );
    await waitFor(async () => (await left()).length === 1, 15_000, 200);
    expect(await left()).toEqual(['b'.repeat(24)]);
  });
});
