import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

// A batch of outbox entries; SKIP LOCKED lets every process relay at once. Heap order is about
// insertion order, so the oldest go first without a sort. In the same statement, each taken event
// supersedes its PR's older pending events that carry another head (older by the PR's updated_at,
// GitHub's whole seconds; heads that tie are all queued, and the worker asks GitHub which is the
// PR's head: ReviewService); those (taken now or queued
// earlier) are not reviewed, and only the taken events still pending are returned for the queue.
// An event a run already claimed (back to pending after a lost job) is left to its job: that run
// may have set `pending` on its head, and the worker gives the head its verdict as it supersedes.
// This runs per batch rather than in ingest's insert, so the insert's plan stays join-free (see
// docs/performance.md). Each taken event is two index probes (OFFSET 0 keeps them apart from the
// planner's join search) and the update goes by primary key, so the plan does not depend on how
// many events are pending.
const TAKE_BATCH = `
  WITH taken AS (
    DELETE FROM event_outbox
    WHERE event_id IN (SELECT event_id FROM event_outbox LIMIT $1 FOR UPDATE SKIP LOCKED)
    RETURNING event_id
  ), superseded AS (
    UPDATE events SET status = 'superseded', updated_at = now(), processed_at = now(), error = 'Superseded by a newer head of the pull request'
    WHERE status = 'pending' AND id = ANY (ARRAY(
      SELECT older.id FROM taken t
      CROSS JOIN LATERAL (
        SELECT installation_id, pr_number, head_sha, pr_updated_at, created_at FROM events WHERE id = t.event_id AND status = 'pending' OFFSET 0
      ) n
      CROSS JOIN LATERAL (
        SELECT id FROM events o
        WHERE o.installation_id = n.installation_id AND o.pr_number = n.pr_number AND o.status = 'pending'
          AND o.attempts = 0 AND o.head_sha IS DISTINCT FROM n.head_sha
          AND o.pr_updated_at < n.pr_updated_at
        OFFSET 0
      ) older
    ))
    RETURNING id
  )
  SELECT t.event_id, s.id IS NULL AS queue FROM taken t LEFT JOIN superseded s ON s.id = t.event_id`;

/**
 * One statement that sets events back to pending and puts them in the outbox: `update` is an
 * UPDATE of `events` (without RETURNING). Yields the ids the UPDATE changed, also when an entry
 * for one was already in the outbox.
 */
export const backToOutbox = (update: string) => `
  WITH back AS (${update} RETURNING id),
  queued AS (INSERT INTO event_outbox (event_id) SELECT id FROM back ON CONFLICT DO NOTHING)
  SELECT id FROM back`;

/** An outbox entry taken for the queue; `queue` is false when a newer head superseded the event. */
export interface TakenEntry {
  event_id: string;
  queue: boolean;
}

/**
 * The transactional outbox's table, owned here: ingest stores a pending event and its entry in one
 * statement (EventInsertBatcher); whoever relays entries to a queue takes them through this
 * service and hears of new ones through `onNew`, so the events module knows nothing of queues.
 */
@Injectable()
export class EventOutboxService {
  private readonly listeners: Array<() => void> = [];

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `listener` runs whenever entries were added in this process (a relay kicks itself). */
  onNew(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Entries were added (or may be waiting): tells the listeners. */
  notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Takes up to `limit` entries out of the outbox, superseding older heads of their PRs. */
  take(limit: number): Promise<TakenEntry[]> {
    return this.db.query<TakenEntry[]>(TAKE_BATCH, [limit]);
  }

  /** Puts entries back (the queue refused them). */
  async putBack(eventIds: string[]): Promise<void> {
    await this.db.query('INSERT INTO event_outbox (event_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING', [
      eventIds,
    ]);
  }

  /** How many events are stored but not yet relayed. */
  async count(): Promise<number> {
    const [row] = await this.db.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM event_outbox');
    return row.n;
  }
}
