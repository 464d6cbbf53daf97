import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventOutboxService } from '../events/event-outbox.service.js';
import { ReviewQueueService } from './review-queue.service.js';

const BATCH = 500;
/** Under load a pass waits this long for more entries, so Redis and Postgres see fewer, larger batches. */
const COALESCE_MS = 5;
/** How often an idle relay looks at the outbox for events stored by other processes. */
const POLL_MS = 100;
/** After Redis refused a batch or Postgres failed. */
const RETRY_MS = 1000;

/**
 * The transactional outbox's relay: ingest stores a pending event and its outbox entry in one
 * statement and answers; this relay then takes entries out of the outbox (EventOutboxService) and
 * puts their review jobs on the queue in batches. A webhook never waits on Redis. A batch Redis refuses goes back
 * into the outbox; a crash between taking a batch and queuing it leaves pending events without a
 * job, which the sweep finds and puts back.
 *
 * The relay is part of the roles that run reviews (`worker` and `all`, see AppModule.forRole): those
 * processes look at the outbox every POLL_MS, and an `all` process also relays at once when it
 * stores an event itself. An `api` process only stores: the queue work (a Postgres statement and
 * a Redis script per batch, and Bull's per-job cost) stays off the process that answers GitHub.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private timerDelayMs = 0;
  private running?: Promise<void>;
  private again = false;
  private closed = false;

  constructor(
    private readonly outbox: EventOutboxService,
    private readonly reviewQueue: ReviewQueueService,
  ) {
    outbox.onNew(() => this.kick());
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
    if (this.closed) return;
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
      const taken = await this.outbox.take(BATCH);
      if (taken.length === 0) return true;
      const ids = taken.filter((r) => r.queue).map((r) => r.event_id);
      if (ids.length > 0 && !(await this.reviewQueue.enqueue(ids))) {
        await this.outbox.putBack(ids);
        return false;
      }
      if (taken.length < BATCH) return true;
    }
  }
}
