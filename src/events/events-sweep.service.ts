import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { backToOutbox } from './event-outbox.service.js';

const DELETE_EXPIRED = `
  DELETE FROM events WHERE id IN (
    SELECT id FROM events
    WHERE created_at < now() - make_interval(days => $1) AND status IN ('received', 'completed', 'failed', 'superseded')
    ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)`;

// Back to pending and into the outbox, only if nothing touched it since it was found ($2, $3: the
// status and staleness it was found with; a worker claiming it meanwhile changes both).
const REQUEUE = backToOutbox(`
  UPDATE events SET status = 'pending', updated_at = now()
  WHERE id = $1 AND status = $2 AND updated_at < now() - make_interval(secs => $3)`);

/** The statements a sweep runs over events: finding lost and abandoned ones, requeuing, expiring. */
@Injectable()
export class EventsSweepService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Pending events older than `afterSeconds` with no outbox entry (their job should exist). */
  async lostPending(afterSeconds: number, limit: number): Promise<string[]> {
    const rows = await this.db.query<Array<{ id: string }>>(
      `SELECT id FROM events e WHERE status = 'pending' AND updated_at < now() - make_interval(secs => $1)
         AND NOT EXISTS (SELECT 1 FROM event_outbox o WHERE o.event_id = e.id) ORDER BY created_at LIMIT $2`,
      [afterSeconds, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Processing events untouched for `afterSeconds` (their worker may have died). */
  async abandoned(afterSeconds: number, limit: number): Promise<string[]> {
    const rows = await this.db.query<Array<{ id: string }>>(
      `SELECT id FROM events WHERE status = 'processing' AND updated_at < now() - make_interval(secs => $1) ORDER BY updated_at LIMIT $2`,
      [afterSeconds, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Back to pending and into the outbox if still as found; true when it went back. */
  async requeue(id: string, status: string, afterSeconds: number): Promise<boolean> {
    const back = await this.db.query<unknown[]>(REQUEUE, [id, status, afterSeconds]);
    return back.length > 0;
  }

  /** Deletes up to `limit` settled events older than `days`; how many went. */
  async deleteExpired(days: number, limit: number): Promise<number> {
    const [, deleted] = await this.db.query<[unknown[], number]>(DELETE_EXPIRED, [days, limit]);
    return deleted;
  }
}
