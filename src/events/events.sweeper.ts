import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { eventsConfig } from '../config/index.js';
import { ReviewQueueService } from '../review/review-queue.service.js';

const BATCH = 500;
/** Leave fresh pending events to the ingest that is queuing them. */
const PENDING_GRACE_SECONDS = 5;

/**
 * The safety net under the queue: pending events with no job (Redis was down when they arrived,
 * or lost its data) are queued, `processing` events abandoned by a dead worker are put back, and
 * events past EVENT_RETENTION_DAYS are deleted. Every step is idempotent, so any number of
 * processes may sweep at once.
 */
@Injectable()
export class EventsSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventsSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reviewQueue: ReviewQueueService,
    @Inject(eventsConfig.KEY) private readonly config: ConfigType<typeof eventsConfig>,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.sweepIntervalSeconds * 1000);
    this.timer.unref();
    setTimeout(() => void this.sweep(), 1000).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  sweep(): Promise<void> {
    this.running ??= this.sweepOnce()
      .catch((error: Error) => this.logger.warn(`Sweep failed: ${error.message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepOnce(): Promise<void> {
    // Without Redis there is nothing to queue into; the next sweep tries again.
    if (this.reviewQueue.queue.client.status !== 'ready') return;
    const pending: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM events WHERE status = 'pending' AND updated_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT $2`,
      [PENDING_GRACE_SECONDS, BATCH],
    );
    let queued = 0;
    for (const { id } of pending) if (!(await this.reviewQueue.hasJob(id)) && (await this.reviewQueue.enqueue(id))) queued++;

    const stuck: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM events WHERE status = 'processing' AND updated_at < now() - make_interval(secs => $1) ORDER BY updated_at LIMIT $2`,
      [this.config.stuckAfterSeconds, BATCH],
    );
    let reclaimed = 0;
    for (const { id } of stuck) {
      if (await this.reviewQueue.hasJob(id)) continue; // still running, or Bull will retry it
      await this.db.query(`UPDATE events SET status = 'pending', updated_at = now() WHERE id = $1 AND status = 'processing'`, [id]);
      if (await this.reviewQueue.enqueue(id)) reclaimed++;
    }

    const deleted: [unknown[], number] = await this.db.query(
      `DELETE FROM events WHERE created_at < now() - make_interval(days => $1) AND status IN ('received', 'completed', 'failed', 'superseded')`,
      [this.config.retentionDays],
    );
    if (queued || reclaimed || deleted[1]) {
      this.logger.log(`Sweep: queued ${queued} pending, reclaimed ${reclaimed} stuck, deleted ${deleted[1]} old events`);
    }
  }
}
