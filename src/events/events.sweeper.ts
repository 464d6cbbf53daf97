import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../common/periodic-task.js';
import { eventsConfig } from '../config/index.js';
import { ReviewQueueService } from '../review/review-queue.service.js';
import { backToOutbox, EventsRelay } from './events.relay.js';

const BATCH = 500;
/**
 * Expired events are deleted DELETE_BATCH at a time, at most MAX_DELETE_BATCHES statements a sweep
 * (the first sweep after EVENT_RETENTION_DAYS was lowered may find millions): no long transaction,
 * and processes sweeping at once skip each other's rows instead of waiting on them.
 */
const DELETE_BATCH = 5000;
const MAX_DELETE_BATCHES = 20;
const DELETE_EXPIRED = `
  DELETE FROM events WHERE id IN (
    SELECT id FROM events
    WHERE created_at < now() - make_interval(days => $1) AND status IN ('received', 'completed', 'failed', 'superseded')
    ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)`;
/** A job is added within moments of leaving the outbox; after this long, one that is not there is lost. */
const MAX_QUEUED_GRACE_SECONDS = 60;

// Back to pending and into the outbox, only if nothing touched it since it was found ($2, $3: the
// status and staleness it was found with; a worker claiming it meanwhile changes both).
const REQUEUE = backToOutbox(`
  UPDATE events SET status = 'pending', updated_at = now()
  WHERE id = $1 AND status = $2 AND updated_at < now() - make_interval(secs => $3)`);

/**
 * The safety net under the queue: pending events out of the outbox whose job is missing (Redis
 * lost it, or a process died between taking it from the outbox and queuing it) and `processing`
 * events abandoned by a dead worker go back to the outbox; events past EVENT_RETENTION_DAYS are
 * deleted. Every step is idempotent, so any number of processes may sweep at once.
 */
@Injectable()
export class EventsSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventsSweeper.name);
  private readonly task = new PeriodicTask(
    () => this.sweepOnce(),
    (error) => this.logger.warn(`Sweep failed: ${error.message}`),
  );

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reviewQueue: ReviewQueueService,
    private readonly relay: EventsRelay,
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
    if (this.reviewQueue.queue.client.status !== 'ready') return;
    const lostAfter = Math.min(this.config.stuckAfterSeconds, MAX_QUEUED_GRACE_SECONDS);
    const lost: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM events e WHERE status = 'pending' AND updated_at < now() - make_interval(secs => $1)
         AND NOT EXISTS (SELECT 1 FROM event_outbox o WHERE o.event_id = e.id) ORDER BY created_at LIMIT $2`,
      [lostAfter, BATCH],
    );
    const stuck: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM events WHERE status = 'processing' AND updated_at < now() - make_interval(secs => $1) ORDER BY updated_at LIMIT $2`,
      [this.config.stuckAfterSeconds, BATCH],
    );
    const candidates = [
      ...lost.map(({ id }) => ({ id, status: 'pending', after: lostAfter })),
      ...stuck.map(({ id }) => ({ id, status: 'processing', after: this.config.stuckAfterSeconds })),
    ];
    let requeued = 0;
    for (const { id, status, after } of candidates) {
      if (await this.reviewQueue.hasJob(id)) continue; // waiting, running, or Bull will retry it
      const back: unknown[] = await this.db.query(REQUEUE, [id, status, after]);
      requeued += back.length;
    }
    // Also picks up whatever could not be queued while Redis was down.
    this.relay.kick();

    const deleted = await this.deleteExpired();
    if (requeued || deleted)
      this.logger.log(`Sweep: requeued ${requeued} events whose job was gone, deleted ${deleted} old events`);
  }

  /** Settled events past EVENT_RETENTION_DAYS; pending and processing ones are never deleted. */
  private async deleteExpired(): Promise<number> {
    let total = 0;
    for (let batch = 0; batch < MAX_DELETE_BATCHES; batch++) {
      const [, deleted]: [unknown[], number] = await this.db.query(DELETE_EXPIRED, [
        this.config.retentionDays,
        DELETE_BATCH,
      ]);
      total += deleted;
      if (deleted < DELETE_BATCH) break;
    }
    return total;
  }
}
