import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReviewQueueService } from '../review/review-queue.service.js';

const BATCH = 500;

// Marks a batch of unqueued pending events as queued; SKIP LOCKED lets every process relay at once.
const TAKE_BATCH = `
  UPDATE events SET queued_at = now()
  WHERE id IN (
    SELECT id FROM events WHERE status = 'pending' AND queued_at IS NULL
    ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED)
  RETURNING id`;

/**
 * The transactional outbox: ingest stores a pending event and answers; this relay then puts the
 * pending events on the review queue in batches. A webhook never waits on Redis, and an event
 * whose batch could not be queued (Redis down) is handed back for the next kick. A crash between
 * marking and queuing leaves a pending event without a job, which the sweep gives back.
 */
@Injectable()
export class EventsRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private scheduled = false;
  private again = false;
  private running?: Promise<void>;
  private closed = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reviewQueue: ReviewQueueService,
  ) {}

  onApplicationBootstrap(): void {
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.running;
  }

  /** Asks for a relay soon; kicks that arrive meanwhile are served by the same pass. */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.relay()
        .catch(() => undefined) // Postgres down: the sweep kicks again later
        .finally(() => {
          this.running = undefined;
          if (this.again) {
            this.again = false;
            this.kick();
          }
        });
    });
  }

  /** Relays until nothing is left or Redis stops answering; resolves when done. */
  async relay(): Promise<void> {
    for (;;) {
      const rows: Array<{ id: string }> = (await this.db.query(TAKE_BATCH, [BATCH]))[0] ?? [];
      const ids = rows.map((r) => r.id);
      if (ids.length === 0) return;
      if (!(await this.reviewQueue.enqueue(ids))) {
        await this.db.query('UPDATE events SET queued_at = NULL WHERE id = ANY($1) AND status = $2', [ids, 'pending']);
        return;
      }
      if (ids.length < BATCH) return;
    }
  }
}
