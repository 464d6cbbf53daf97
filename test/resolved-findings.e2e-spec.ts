// resolved_findings on Postgres: what ReviewThreads reads and writes is each pull request's own,
// and the retention sweep deletes expired rows in bounded statements.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ResolvedFindingsService } from '../src/review/findings/resolved-findings.service.js';
import { EXAMPLE_REPO, installRepo } from './support/deliveries.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('resolved findings', () => {
  let t: TestApp;
  let service: ResolvedFindingsService;
  let installationId: string;

  beforeAll(async () => {
    // No sweep during the tests: they call the deletion themselves.
    t = await createTestApp({ env: { EVENT_RETENTION_DAYS: '1', SWEEP_INTERVAL_SECONDS: '3600' } });
    service = t.app.get(ResolvedFindingsService, { strict: false });
    await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    [{ id: installationId }] = await t.db.query(`SELECT id FROM installations WHERE full_name = $1`, [
      EXAMPLE_REPO.fullName,
    ]);
  });
  afterAll(() => t?.close());

  const print = (c: string) => c.repeat(24);

  it('keeps each pull request its own: a finding back on one leaves it resolved on another', async () => {
    const one = { installationId, prNumber: 1 };
    const two = { installationId, prNumber: 2 };
    await service.add(one, [print('a'), print('b')]);
    await service.add(two, [print('a')]);
    // Two reviews of a pull request may both record a finding: the second adds nothing.
    await service.add(one, [print('a')]);
    await service.remove(two, [print('a')]);
    expect([...(await service.of(one))].sort()).toEqual([print('a'), print('b')]);
    expect([...(await service.of(two))]).toEqual([]);
  });

  it('deletes expired rows oldest first, at most `limit` a statement, and says how many went', async () => {
    const pull = { installationId, prNumber: 3 };
    for (const [c, age] of [
      ['c', '4 days'],
      ['d', '3 days'],
      ['e', '2 days'],
      ['f', '1 hour'],
    ])
      await t.db.query(
        `INSERT INTO resolved_findings (installation_id, pr_number, fingerprint, resolved_at)
         VALUES ($1, $2, $3, now() - $4::interval)`,
        [installationId, pull.prNumber, print(c), age],
      );
    await t.db.query(`DELETE FROM resolved_findings WHERE pr_number <> $1`, [pull.prNumber]);
    expect(await service.deleteExpired(1, 2)).toBe(2);
    expect([...(await service.of(pull))].sort()).toEqual([print('e'), print('f')]);
    expect(await service.deleteExpired(1, 2)).toBe(1);
    expect(await service.deleteExpired(1, 2)).toBe(0);
    expect([...(await service.of(pull))]).toEqual([print('f')]);
  });
});
