// Migrations that move data are tested on data: events stored under the previous schema survive
// CompactEvents (payload compressed in the row, unqueued events in the outbox) and its revert.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../ormconfig.js';
import { migrations } from '../migrations/index.js';
import { decodePayload } from '../src/events/payload-codec.js';
import { example } from './support/deliveries.js';
import { freshStore } from './support/test-app.js';

const COMPACT = migrations.findIndex((m) => m.name === 'CompactEvents1795770300000');

describe('migration CompactEvents', () => {
  let db: DataSource;
  const payload = example('pull_request');
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const { databaseUrl } = await freshStore();
    const before = new DataSource({ ...dataSourceOptions(databaseUrl, 2), migrations: migrations.slice(0, COMPACT) });
    await before.initialize();
    await before.runMigrations({ transaction: 'each' });
    const [installation] = await before.query(
      `INSERT INTO installations (owner, name, full_name, events, secret_encrypted) VALUES ('o', 'r', 'o/r', '{pull_request}', 'v1:x') RETURNING id`,
    );
    const insert = (delivery: string, status: string, queuedAt: string | null) =>
      before.query(
        `INSERT INTO events (installation_id, repo, delivery_id, github_event, event_type, pr_number, head_sha, status, payload, queued_at)
         VALUES ($1, 'o/r', $2, 'pull_request', 'opened_pull_request', $3, $4, $5, $6::json, $7) RETURNING id`,
        [
          installation.id,
          delivery,
          delivery.length,
          delivery.padEnd(40, '0'),
          status,
          JSON.stringify(payload),
          queuedAt,
        ],
      );
    [{ id: ids.unqueued }] = await insert('aaaa', 'pending', null);
    [{ id: ids.queued }] = await insert('bbbbb', 'pending', new Date().toISOString());
    [{ id: ids.completed }] = await insert('cccccc', 'completed', new Date().toISOString());
    await before.destroy();

    db = new DataSource(dataSourceOptions(databaseUrl, 2));
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
  });

  afterAll(() => db?.destroy());

  it('keeps every payload, compressed in its row', async () => {
    const rows: Array<{ id: string; payload: Buffer }> = await db.query('SELECT id, payload FROM events');
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(decodePayload(row.payload)).toEqual(payload);
      expect(row.payload.length).toBeLessThan(JSON.stringify(payload).length / 2);
    }
    const [{ storage }] = await db.query(
      `SELECT attstorage AS storage FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname = 'payload'`,
    );
    expect(storage).toBe('m'); // MAIN: kept in the row, never compressed again
  });

  it('puts the pending events that were not queued yet, and only those, in the outbox', async () => {
    expect(await db.query('SELECT event_id FROM event_outbox')).toEqual([{ event_id: ids.unqueued }]);
    const columns: Array<{ name: string }> = await db.query(
      `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'events'`,
    );
    expect(columns.map((c) => c.name)).not.toContain('queued_at');
  });

  it('reverts to the json payload and queued_at', async () => {
    const columns = async () =>
      (
        await db.query<Array<{ name: string }>>(
          `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'events'`,
        )
      ).map((c) => c.name);
    expect(await columns()).toContain('posting_since');
    // The later migrations first (PostingLease drops its column), then CompactEvents.
    for (let later = migrations.length - 1; later > COMPACT; later--)
      await db.undoLastMigration({ transaction: 'each' });
    expect(await columns()).not.toContain('posting_since');
    await db.undoLastMigration({ transaction: 'each' });
    const rows: Array<{ id: string; payload: unknown; queued_at: Date | null }> = await db.query(
      'SELECT id, payload, queued_at FROM events',
    );
    for (const row of rows) expect(row.payload).toEqual(payload);
    expect(rows.find((r) => r.id === ids.unqueued)!.queued_at).toBeNull();
    expect(rows.find((r) => r.id === ids.completed)!.queued_at).not.toBeNull();
    await db.runMigrations({ transaction: 'each' });
    expect(await db.query('SELECT event_id FROM event_outbox')).toEqual([{ event_id: ids.unqueued }]);
    expect(await columns()).toContain('posting_since');
  });
});
