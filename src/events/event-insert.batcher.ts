import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient, QueryConfig } from 'pg';
import { DataSource } from 'typeorm';

export interface EventRow {
  installationId: string;
  repo: string;
  deliveryId: string;
  githubEvent: string;
  action: string | null;
  eventType: string;
  prNumber: number | null;
  headSha: string | null;
  prUpdatedAt: Date | null;
  status: 'received' | 'pending';
  /** encodePayload's output. */
  payload: Buffer;
}

const MAX_BATCH = 100;
/**
 * One statement at a time: while it commits, the next batch gathers. Against 2 and 3 in flight,
 * Postgres spends less a row and ingest is faster (`npm run bench`; figures in docs/performance.md).
 */
const MAX_IN_FLIGHT = 1;

const COLUMNS = [
  'installationId',
  'repo',
  'deliveryId',
  'githubEvent',
  'action',
  'eventType',
  'prNumber',
  'headSha',
  'prUpdatedAt',
  'status',
  'payload',
] as const;

/**
 * Many deliveries, one statement and one commit. The partial unique indexes decide duplicates
 * (ON CONFLICT DO NOTHING: a conflicting row is simply not returned) and a pending event goes into
 * the outbox in the same statement. Superseding a PR's older pending events is the relay's step
 * (EventOutboxService), so this statement joins nothing and its plan does not depend on how many events
 * there are: it is prepared once per batch size and connection and runs on a generic plan (planning
 * the join here cost Postgres more than the inserts). Each value is its own parameter (arrays would
 * make pg escape every payload byte); the payload, a Buffer, travels in binary.
 */
function insertBatch(rows: number): { name: string; text: string } {
  const values = Array.from({ length: rows }, (_, r) => {
    const p = (c: number) => `$${r * COLUMNS.length + c + 1}`;
    return `(${p(0)}::uuid, ${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}::int, ${p(7)}, ${p(8)}::timestamptz, ${p(9)}, ${p(10)}::bytea)`;
  });
  const text = `
  WITH inserted AS (
    INSERT INTO events (installation_id, repo, delivery_id, github_event, action, event_type, pr_number, head_sha, pr_updated_at, status, payload)
    VALUES ${values.join(', ')}
    ON CONFLICT DO NOTHING
    RETURNING id, delivery_id, status
  ), outbox AS (
    INSERT INTO event_outbox (event_id) SELECT id FROM inserted WHERE status = 'pending'
  )
  SELECT id, delivery_id FROM inserted`;
  return { name: `nectr_insert_events_${rows}`, text };
}
const statements = new Map<number, { name: string; text: string }>();
const insertStatement = (rows: number) => statements.get(rows) ?? statements.set(rows, insertBatch(rows)).get(rows)!;

interface Waiting {
  row: EventRow;
  resolve: (id: string | null) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for ingest: a delivery that arrives while an insert is in flight waits for the
 * next batch instead of paying for its own statement and commit. At low load a batch is one row,
 * sent at once, so no delivery waits on a timer. Resolves each row to its new id, or null when a
 * unique index found it a duplicate.
 */
@Injectable()
export class EventInsertBatcher {
  private queue: Waiting[] = [];
  private inFlight = 0;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  insert(row: EventRow): Promise<string | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.drain();
      });
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      const ids = await this.write(batch.map((w) => w.row));
      for (const w of batch) {
        // Two copies of one delivery in a batch: one row went in; the other is a duplicate.
        w.resolve(ids.get(w.row.deliveryId) ?? null);
        ids.delete(w.row.deliveryId);
      }
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      // One bad row must not fail its neighbours: each on its own.
      for (const w of batch) {
        this.write([w.row]).then((ids) => w.resolve(ids.get(w.row.deliveryId) ?? null), w.reject);
      }
    }
  }

  /** Inserted rows by delivery id: among active events a delivery id is unique. */
  private async write(rows: EventRow[]): Promise<Map<string, string>> {
    const params = rows.flatMap((row) => COLUMNS.map((column) => row[column]));
    const query: QueryConfig = { ...insertStatement(rows.length), values: params };
    // TypeORM's query() cannot name a statement; the pg client a QueryRunner holds (public API:
    // connect() resolves to it, from the same pool) can.
    const runner = this.db.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      const { rows: inserted } = await client.query<{ id: string; delivery_id: string }>(query);
      return new Map(inserted.map((r) => [r.delivery_id, r.id]));
    } finally {
      await runner.release();
    }
  }
}
