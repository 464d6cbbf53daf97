import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Queue } from 'bull';
import { reviewConfig } from '../config/index.js';
import { REVIEW_QUEUE, ReviewJob, type ReviewJobData } from './review.constants.js';

/** Redis may be down; an ingest must still answer GitHub well within its 10 s. */
const ENQUEUE_TIMEOUT_MS = 2000;

/**
 * Puts review jobs on the queue. The job id is the event id, so adding the same event twice (the
 * ingest and a sweep, or two sweeps) leaves one job.
 */
@Injectable()
export class ReviewQueueService {
  private readonly logger = new Logger(ReviewQueueService.name);

  constructor(
    @InjectQueue(REVIEW_QUEUE) readonly queue: Queue<ReviewJobData>,
    @Inject(reviewConfig.KEY) private readonly review: ConfigType<typeof reviewConfig>,
  ) {}

  /** True when queued; false when Redis did not answer in time (the sweep will queue it later). */
  async enqueue(eventId: string): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ENQUEUE_TIMEOUT_MS} ms`)), ENQUEUE_TIMEOUT_MS);
    });
    try {
      await Promise.race([
        this.queue.add(ReviewJob.Run, { eventId }, {
          jobId: eventId,
          attempts: this.review.attempts,
          backoff: { type: 'exponential', delay: this.review.backoffMs },
          // Postgres holds the outcome; Redis keeps only work in flight, and a removed job's id
          // can be queued again when a failed event is retried.
          removeOnComplete: true,
          removeOnFail: true,
        }),
        timeout,
      ]);
      return true;
    } catch (error) {
      this.logger.warn(`Event ${eventId} stays pending, not queued: ${(error as Error).message}`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether a job for this event exists in Redis (waiting, delayed or running). */
  async hasJob(eventId: string): Promise<boolean> {
    return (await this.queue.getJob(eventId)) !== null;
  }
}
