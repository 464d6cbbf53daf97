import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReviewQueueService } from '../review/review-queue.service.js';

const BATCH = 500;
/** Under load a pass waits this long for more entries, so Redis and Postgres see fewer, larger batches. */
const COALESCE_MS = 5;

// A batch of outbox entries; SKIP LOCKED lets every process relay at once. Heap order is about
// insertion order, so the oldest go first without a sort.
const TAKE_BATCH = `
  DELETE FROM event_outbox
  WHERE event_id IN (SELECT event_id FROM event_outbox LIMIT $1 FOR UPDATE SKIP LOCKED)
  RETURNING event_id`;

/**
 * The transactional outbox: ingest stores a pending event and its `event_outbox` entry in one
 * statement and answers; this relay then takes entries out of the outbox and puts their review
 * jobs on the queue in batches. A webhook never waits on Redis. A batch Redis refuses goes back
 * into the outbox; a crash between taking a batch and queuing it leaves pending events without a
 * job, which the sweep finds and puts back.
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
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    const start = () => {
      this.scheduled = false;
      if (this.closed) return;
      this.running = this.relay()
        .catch(() => undefined) // Postgres or Redis down: the sweep kicks again later
        .finally(() => {
          this.running = undefined;
          if (this.again) {
            this.again = false;
            // More came during the pass: this is a burst, let the next batch grow a little.
            this.schedule(COALESCE_MS);
          }
        });
    };
    if (delayMs > 0) setTimeout(start, delayMs);
    else setImmediate(start);
  }

  /** Relays until the outbox is empty or Redis refuses a batch; resolves when done. */
  async relay(): Promise<void> {
    for (;;) {
      const [rows]: [Array<{ event_id: string }>, number] = await this.db.query(TAKE_BATCH, [BATCH]);
      const ids = rows.map((r) => r.event_id);
      if (ids.length === 0) return;
      if (!(await this.reviewQueue.enqueue(ids))) {
        await this.db.query('INSERT INTO event_outbox (event_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING', [ids]);
        return;
      }
      if (ids.length < BATCH) return;
    }
  }
}
