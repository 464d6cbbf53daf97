import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { appConfig } from '../config/index.js';
import { ReviewQueueService } from '../review/review-queue.service.js';

const BATCH = 500;
/** Under load a pass waits this long for more entries, so Redis and Postgres see fewer, larger batches. */
const COALESCE_MS = 5;
/** How often an idle relay looks at the outbox for events stored by other processes. */
const POLL_MS = 100;
/** After Redis refused a batch or Postgres failed. */
const RETRY_MS = 1000;

// A batch of outbox entries; SKIP LOCKED lets every process relay at once. Heap order is about
// insertion order, so the oldest go first without a sort. In the same statement, each taken event
// supersedes its PR's older pending events that carry another head; those (taken now or queued
// earlier) are not reviewed, and only the taken events still pending are returned for the queue.
// This runs here, per batch of up to BATCH events, rather than in ingest's insert, where planning
// the join for every handful of rows cost Postgres more than the inserts themselves. Each taken
// event is two index probes (OFFSET 0 keeps them apart from the planner's join search) and the
// update goes by primary key: a plain join, planned before the first analyze of a busy table, had
// hashed every pending event instead (29 ms against 4 for a batch of 500 among 33 000 pending).
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
        SELECT installation_id, pr_number, head_sha, pr_updated_at FROM events WHERE id = t.event_id AND status = 'pending' OFFSET 0
      ) n
      CROSS JOIN LATERAL (
        SELECT id FROM events o
        WHERE o.installation_id = n.installation_id AND o.pr_number = n.pr_number AND o.status = 'pending'
          AND o.head_sha IS DISTINCT FROM n.head_sha AND o.pr_updated_at < n.pr_updated_at
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

/**
 * The transactional outbox: ingest stores a pending event and its `event_outbox` entry in one
 * statement and answers; this relay then takes entries out of the outbox and puts their review
 * jobs on the queue in batches. A webhook never waits on Redis. A batch Redis refuses goes back
 * into the outbox; a crash between taking a batch and queuing it leaves pending events without a
 * job, which the sweep finds and puts back.
 *
 * The relay runs where reviews run (`worker` and `all`): those processes look at the outbox every
 * POLL_MS, and an `all` process also relays at once when it stores an event itself. An `api`
 * process only stores: the queue work (a Postgres statement and a Redis script per batch, and
 * Bull's per-job cost) stays off the process that answers GitHub.
 */
@Injectable()
export class EventsRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private timerDelayMs = 0;
  private running?: Promise<void>;
  private again = false;
  private closed = false;
  private readonly enabled: boolean;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reviewQueue: ReviewQueueService,
    @Inject(appConfig.KEY) app: ConfigType<typeof appConfig>,
  ) {
    this.enabled = app.role !== 'api';
  }

  onApplicationBootstrap(): void {
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Asks for a relay now; kicks that arrive during a pass are served by one more pass. */
  kick(): void {
    if (this.running) this.again = true;
    else if (!this.timer || this.timerDelayMs > COALESCE_MS) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.closed || !this.enabled) return;
    clearTimeout(this.timer);
    this.timerDelayMs = delayMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.closed) return;
      this.running = this.relay()
        .catch(() => false) // Postgres down: try again after a pause
        .then((ok) => {
          this.running = undefined;
          // More came during the pass: a burst, so let the next batch grow a little.
          if (this.again) this.schedule(COALESCE_MS);
          else this.schedule(ok ? POLL_MS : RETRY_MS);
          this.again = false;
        });
    }, delayMs).unref();
  }

  /** Relays until the outbox is empty (true) or Redis refuses a batch (false). */
  async relay(): Promise<boolean> {
    for (;;) {
      const taken: Array<{ event_id: string; queue: boolean }> = await this.db.query(TAKE_BATCH, [BATCH]);
      if (taken.length === 0) return true;
      const ids = taken.filter((r) => r.queue).map((r) => r.event_id);
      if (ids.length > 0 && !(await this.reviewQueue.enqueue(ids))) {
        await this.db.query('INSERT INTO event_outbox (event_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING', [
          ids,
        ]);
        return false;
      }
      if (taken.length < BATCH) return true;
    }
  }
}
