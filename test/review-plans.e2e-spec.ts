// Every review looks up its pull request's other events (a newer head, heads tied in the same second,
// the last review, the posting lease) and the relay probes each taken event's PR. Each of those
// statements must find the PR's events by installation and PR number on an index, never read the
// whole events table (which holds every payload and every event ever kept): else a review costs
// more the longer Nectr runs, and a backlog drains slower the larger it is. The statements are the
// services' own, captured as they run; sequential scans are priced out so the plan shows what the
// indexes allow on any table size.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource, type Logger } from 'typeorm';
import { dataSourceOptions } from '../ormconfig.js';
import { EventLifecycleService } from '../src/events/event-lifecycle.service.js';
import { EventOutboxService } from '../src/events/event-outbox.service.js';
import { Event } from '../src/events/event.entity.js';
import { planWithoutSeqScans } from './support/plans.js';
import { freshStore } from './support/test-app.js';

const PULLS = 2000;
const EVENTS_PER_PULL = 10;
const TARGET_PR = 7;

describe("a review's statements on its pull request's events", () => {
  let db: DataSource;
  let lifecycle: EventLifecycleService;
  let outbox: EventOutboxService;
  let capture: Array<{ sql: string; params: unknown[] }> | null = null;
  let target: Event;

  const logger: Logger = {
    logQuery: (sql, params) => void capture?.push({ sql, params: Array.isArray(params) ? params : [] }),
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };

  beforeAll(async () => {
    const { databaseUrl } = await freshStore();
    // One connection, as planWithoutSeqScans needs.
    db = new DataSource({ ...dataSourceOptions(databaseUrl, 1), logging: true, logger });
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    const [installation] = await db.query<Array<{ id: string }>>(
      `INSERT INTO installations (owner, name, full_name, events, secret_encrypted)
       VALUES ('o', 'r', 'o/r', '{pull_request}', 'v1:x') RETURNING id`,
    );
    // PULLS pull requests of EVENTS_PER_PULL pushes each, reviewed and settled; a push every minute.
    await db.query(
      `INSERT INTO events (installation_id, repo, delivery_id, github_event, action, event_type, pr_number, head_sha,
                           pr_updated_at, status, payload, processed_at)
       SELECT $1, 'o/r', 'd-' || g, 'pull_request', 'synchronize', 'pull_request.synchronize', g % $2, md5(g::text),
              timestamptz '2026-01-01' + make_interval(mins => g), (ARRAY['completed', 'superseded', 'failed'])[1 + g % 3],
              '\\x00', now()
         FROM generate_series(1, $3::int) g`,
      [installation.id, PULLS, PULLS * EVENTS_PER_PULL],
    );
    // The PR under review: a push being reviewed, a later one settled, one stamped in the same
    // second, and one pending with its outbox entry.
    const [row] = await db.query<Array<{ id: string }>>(
      `INSERT INTO events (installation_id, repo, delivery_id, github_event, action, event_type, pr_number, head_sha,
                           pr_updated_at, status, payload)
       VALUES ($1, 'o/r', 'd-target', 'pull_request', 'synchronize', 'pull_request.synchronize', $2, 'aaaa', '2026-06-01T00:00:00Z', 'processing', '\\x00'),
              ($1, 'o/r', 'd-tied', 'pull_request', 'synchronize', 'pull_request.synchronize', $2, 'bbbb', '2026-06-01T00:00:00Z', 'completed', '\\x00'),
              ($1, 'o/r', 'd-newer', 'pull_request', 'synchronize', 'pull_request.synchronize', $2, 'cccc', '2026-06-02T00:00:00Z', 'pending', '\\x00')
       RETURNING id`,
      [installation.id, TARGET_PR],
    );
    await db.query(`INSERT INTO event_outbox (event_id) SELECT id FROM events WHERE delivery_id = 'd-newer'`);
    await db.query('VACUUM ANALYZE events');
    outbox = new EventOutboxService(db);
    lifecycle = new EventLifecycleService(db.getRepository(Event), outbox);
    target = (await lifecycle.find(row.id))!;
  });
  afterAll(() => db?.destroy());

  /** Runs `work`, then the plan of each statement it sent that reads events (sequential scans priced out). */
  async function plansOf<T>(work: () => Promise<T>): Promise<{ result: T; plans: string[] }> {
    capture = [];
    const result = await work();
    const sent = capture.filter((s) => /\bevents\b/.test(s.sql));
    capture = null;
    expect(sent.length).toBeGreaterThan(0);
    const plans: string[] = [];
    for (const { sql, params } of sent) plans.push(await planWithoutSeqScans(db, sql, params));
    return { result, plans };
  }

  /** A plan that finds the pull request's events by installation and number on an index. */
  const findsThePullOnAnIndex = (plan: string) => {
    expect(plan).not.toMatch(/Seq Scan on events\b/);
    expect(plan).toMatch(/Index Cond: .*installation_id = .*pr_number = /);
  };

  it('asks whether a newer head came, and which heads tie with this one', async () => {
    const newer = await plansOf(() => lifecycle.hasNewerHead(target));
    expect(newer.result).toBe(true);
    newer.plans.forEach(findsThePullOnAnIndex);
    const tied = await plansOf(() => lifecycle.tiedHeads(target));
    expect(tied.result).toEqual(['bbbb']);
    tied.plans.forEach(findsThePullOnAnIndex);
  });

  it('finds the last review of the pull request and whether a head was reviewed before', async () => {
    const last = await plansOf(() => lifecycle.lastReviewed(target));
    expect(last.result?.head).toBe('bbbb');
    last.plans.forEach(findsThePullOnAnIndex);
    const before = await plansOf(() => lifecycle.reviewedBefore(target, 'bbbb'));
    expect(before.result).toBe(true);
    before.plans.forEach(findsThePullOnAnIndex);
  });

  it("takes the posting lease, checking the pull request's other events", async () => {
    const readAt = await lifecycle.readClock();
    const lease = await plansOf(() => lifecycle.startPosting(target.id, 60_000, readAt));
    expect(lease.result.state).toBe('granted');
    const startPosting = lease.plans.filter((p) => /CTE current/.test(p));
    expect(startPosting).toHaveLength(1);
    findsThePullOnAnIndex(startPosting[0]);
  });

  it("relays an outbox entry, probing its pull request's older pending heads", async () => {
    const taken = await plansOf(() => outbox.take(10));
    expect(taken.result).toHaveLength(1);
    expect(taken.plans).toHaveLength(1);
    findsThePullOnAnIndex(taken.plans[0]);
  });
});
