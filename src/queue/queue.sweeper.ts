import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { deleteInBatches } from '../common/delete-in-batches.js';
import { PeriodicTask } from '../common/periodic-task.js';
import { eventsConfig } from '../config/index.js';
import { EventOutboxService } from '../events/event-outbox.service.js';
import { EventsSweepService } from '../events/events-sweep.service.js';
import { ReviewQueueService } from './review-queue.service.js';

const BATCH = 500;
/**
 * Expired events are deleted DELETE_BATCH at a time, at most MAX_DELETE_BATCHES statements a sweep
 * (the first sweep after EVENT_RETENTION_DAYS was lowered may find millions): no long transaction,
 * and processes sweeping at once skip each other's rows instead of waiting on them.
 */
const DELETE_BATCH = 5000;
const MAX_DELETE_BATCHES = 20;
/** A job is added within moments of leaving the outbox; after this long, one that is not there is lost. */
const MAX_QUEUED_GRACE_SECONDS = 60;

/**
 * The safety net under the queue: pending events out of the outbox whose job is missing (Redis
 * lost it, or a process died between taking it from the outbox and queuing it) and `processing`
 * events abandoned by a dead worker go back to the outbox; events past EVENT_RETENTION_DAYS are
 * deleted. Every step is idempotent, so any number of processes may sweep at once.
 */
@Injectable()
export class QueueSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(QueueSweeper.name);
  private readonly task = new PeriodicTask(
    () => this.sweepOnce(),
    (error) => this.logger.warn(`Sweep failed: ${error.message}`),
  );

  constructor(
    private readonly events: EventsSweepService,
    private readonly outbox: EventOutboxService,
    private readonly reviewQueue: ReviewQueueService,
    @Inject(eventsConfig.KEY) private readonly config: ConfigType<typeof eventsConfig>,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.sweepIntervalSeconds * 1000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  private async sweepOnce(): Promise<void> {
    // Without Redis no job can be looked for; pending events simply wait for the relay.
    if (!this.reviewQueue.ready) return;
    const lostAfter = Math.min(this.config.stuckAfterSeconds, MAX_QUEUED_GRACE_SECONDS);
    const lost = await this.events.lostPending(lostAfter, BATCH);
    const stuck = await this.events.abandoned(this.config.stuckAfterSeconds, BATCH);
    const candidates = [
      ...lost.map((id) => ({ id, status: 'pending', after: lostAfter })),
      ...stuck.map((id) => ({ id, status: 'processing', after: this.config.stuckAfterSeconds })),
    ];
    let requeued = 0;
    for (const { id, status, after } of candidates) {
      if (await this.reviewQueue.hasJob(id)) continue; // waiting, running, or Bull will retry it
      if (await this.events.requeue(id, status, after)) requeued++;
    }
    // Also picks up whatever could not be queued while Redis was down.
    this.outbox.notify();

    const deleted = await this.deleteExpired();
    if (requeued || deleted)
      this.logger.log(`Sweep: requeued ${requeued} events whose job was gone, deleted ${deleted} old events`);
  }

  /** Settled events past EVENT_RETENTION_DAYS; pending and processing ones are never deleted. */
  private deleteExpired(): Promise<number> {
    return deleteInBatches(
      (size) => this.events.deleteExpired(this.config.retentionDays, size),
      DELETE_BATCH,
      MAX_DELETE_BATCHES,
    );
  }
}
