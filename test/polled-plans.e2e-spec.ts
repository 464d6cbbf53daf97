// The web UI polls the stats and the events list, and delivery recovery runs hourly; each statement
// must be served by an index, never a scan of the events table (which holds every payload).
// Sequential scans are priced out so the plan shows what the indexes allow on any table size; the
// migrations' reverts restore the indexes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../ormconfig.js';
import type { ListEventsQueryDto } from '../src/events/dto/list-events.query.dto.js';
import { Event } from '../src/events/event.entity.js';
import { STATS_SQL } from '../src/events/event-stats.service.js';
import { listEventsQuery } from '../src/events/events-list.query.js';
import { KNOWN_DELIVERIES_SQL } from '../src/events/events.service.js';
import { planWithoutSeqScans } from './support/plans.js';
import { freshStore } from './support/test-app.js';

const OUTCOMES = ['completed', 'failed', 'superseded'];

describe('statements run on a timer: what the web UI polls, delivery recovery', () => {
  let db: DataSource;

  beforeAll(async () => {
    const { databaseUrl } = await freshStore();
    db = new DataSource(dataSourceOptions(databaseUrl, 1));
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    const [installation] = await db.query(
      `INSERT INTO installations (owner, name, full_name, events, secret_encrypted)
       VALUES ('o', 'r', 'o/r', '{pull_request}', 'v1:x') RETURNING id`,
    );
    await db.query(
      `INSERT INTO events (installation_id, repo, delivery_id, github_event, event_type, status, payload, processed_at)
       SELECT $1, 'Org/Repo-' || (g % 10), 'd-' || g, 'push', CASE WHEN g % 1000 = 0 THEN 'ping' ELSE 'push' END, ($2::text[])[1 + g % 3], '\\x00',
              CASE WHEN g % 2 = 0 THEN now() - make_interval(secs => g) END
         FROM generate_series(1, 20000) g`,
      [installation.id, OUTCOMES],
    );
    await db.query('VACUUM ANALYZE events');
  });
  afterAll(() => db?.destroy());

  const plan = (sql: string, params: unknown[]) => planWithoutSeqScans(db, sql, params);

  const hourAgo = () => new Date(Date.now() - 3600_000);

  it('counts stored and ended events from index-only scans', async () => {
    const stored = await plan(STATS_SQL.storedByBucket, [hourAgo(), 60]);
    expect(stored).toMatch(/Index Only Scan using events_(status_)?created_at_idx/);
    const ended = await plan(STATS_SQL.endedByBucket, [hourAgo(), 60, OUTCOMES]);
    expect(ended).toMatch(/Index Only Scan using events_ended_at_idx/);
    const counts = await plan(STATS_SQL.countsByRepo, []);
    expect(counts).toMatch(/Index Only Scan using events_repo_created_at_idx/);
    for (const text of [stored, ended, counts]) expect(text).not.toMatch(/Seq Scan/);
  });

  it('finds the newest event of each repository on an index', async () => {
    const latest = await plan(STATS_SQL.latestByRepo, [['org/repo-0', 'org/repo-1']]);
    // On this small table Postgres may walk events_created_at_idx instead (the newest event of an
    // evenly spread repository is a few rows away); on 300 000 events it probes the repository index.
    expect(latest).toMatch(/Index Scan using events_(repo_)?created_at_idx/);
    expect(latest).not.toMatch(/Seq Scan/);
    const rows: Array<{ repo: string }> = await db.query(STATS_SQL.latestByRepo, [['org/repo-1', 'org/repo-0']]);
    expect(rows.map((r) => r.repo)).toEqual(['org/repo-0', 'org/repo-1']);
  });

  it("reads only delivery recovery's window to look up its delivery ids", async () => {
    const text = await plan(KNOWN_DELIVERIES_SQL, [['d-1', 'd-2'], new Date(Date.now() - 3 * 24 * 3600_000)]);
    // Postgres 18 may skip-scan another index led by created_at's neighbours; the bound is what counts.
    expect(text).toMatch(/Index Cond: .*created_at >=/);
    expect(text).not.toMatch(/Seq Scan/);
  });

  it('lists events newest first on the index of the filter set', async () => {
    const listPlan = (query: Partial<ListEventsQueryDto>) => {
      const [sql, params] = listEventsQuery(db.getRepository(Event), query).getQueryAndParameters();
      return plan(sql, params);
    };
    const expected: Array<[Partial<ListEventsQueryDto>, string]> = [
      [{}, 'events_created_at_idx'],
      [{ type: 'ping' }, 'events_type_created_at_idx'],
      [{ repo: 'org/repo-1' }, 'events_repo_created_at_idx'],
      [{ status: 'failed' as ListEventsQueryDto['status'], offset: 25 }, 'events_status_created_at_idx'],
    ];
    for (const [query, index] of expected) {
      const text = await listPlan(query);
      // An index scan, or a bitmap of the index and a sort when few rows match (as here).
      expect(text).toMatch(new RegExp(`(Index Scan using|Bitmap Index Scan on) ${index}\\b`));
      expect(text).not.toMatch(/Seq Scan/);
    }
    const pings = await listEventsQuery(db.getRepository(Event), {
      type: 'ping',
      limit: 50,
    }).getMany();
    expect(pings.map((e) => e.eventType)).toEqual(Array(20).fill('ping'));
  });

  it('reverts to the indexes before, and applies again', async () => {
    const indexes = async () =>
      (
        await db.query<Array<{ indexdef: string }>>(
          `SELECT indexdef FROM pg_indexes WHERE tablename = 'events' AND indexname IN
             ('events_ended_at_idx', 'events_created_at_idx', 'events_repo_created_at_idx', 'events_type_created_at_idx')
           ORDER BY indexname`,
        )
      ).map((r) => r.indexdef.replace(/^.* USING btree /, ''));
    const applied = await indexes();
    // Undo down to StatsIndexes (the migrations after it are undone on the way, and applied again).
    const names = db.migrations.map((m) => m.name);
    expect(names.indexOf('EventTypeIndex1795771300000')).toBeGreaterThan(names.indexOf('StatsIndexes1795771200000'));
    for (let n = names.length - names.indexOf('StatsIndexes1795771200000'); n > 0; n--)
      await db.undoLastMigration({ transaction: 'each' });
    expect(await indexes()).toEqual(['(created_at DESC)', '(lower((repo)::text), created_at DESC)']);
    await db.runMigrations({ transaction: 'each' });
    expect(await indexes()).toEqual(applied);
    expect(applied).toHaveLength(4);
  });
});
