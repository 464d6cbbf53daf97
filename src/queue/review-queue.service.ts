import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Queue } from 'bull';
import { reviewConfig } from '../config/index.js';
import { REVIEW_BACKOFF } from './review-backoff.js';
import { REVIEW_QUEUE, ReviewJob, type ReviewJobData } from './review-queue.constants.js';

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** Redis may be down: give up on it quickly and leave the event pending for the next relay. */
const ENQUEUE_TIMEOUT_MS = 2000;

/** Bull's errors for a job its own lock no longer covers (scripts.finishedErrors): Redis did answer. */
const LAPSED_JOB = /^(Missing (key|lock) for job |Job \S+ is not in the \w+ state|Lock mismatch for job )/;

/** While Redis stays unreachable, its error is logged at most this often (Bull retries every 2 s). */
export const REDIS_DOWN_LOG_INTERVAL_MS = 60_000;

/**
 * Puts review jobs on the queue. The job id is the event id, so adding the same event twice (two
 * relays, or a relay after a sweep) leaves one job.
 */
@Injectable()
export class ReviewQueueService implements OnModuleInit {
  private readonly logger = new Logger(ReviewQueueService.name);
  private redisDownLoggedAt = -Infinity;

  constructor(
    @InjectQueue(REVIEW_QUEUE) readonly queue: Queue<ReviewJobData>,
    @Inject(reviewConfig.KEY) private readonly review: ConfigType<typeof reviewConfig>,
  ) {}

  /**
   * Bull swallows its Redis connection's errors (its queue has an empty 'error' listener), so a
   * process started while Redis is unreachable said nothing of it: one line a minute says so. Bull
   * reports other failures there too (a job's lock lost, a script's error) while connected: those
   * are logged as what they are, at the same pace.
   */
  onModuleInit(): void {
    this.queue.on('error', (error: Error) => {
      // Bull's answer to a run whose job another process finished meanwhile (its lock lapsed while
      // this one ran it, and the job was then completed and removed): Redis answered, so it is not
      // reported as unreachable (nor does it hold back that line for a minute).
      if (LAPSED_JOB.test(error.message)) {
        this.logger.warn(`A review job this process ran was already settled by another run: ${error.message}`);
        return;
      }
      const now = Date.now();
      if (now - this.redisDownLoggedAt < REDIS_DOWN_LOG_INTERVAL_MS) return;
      this.redisDownLoggedAt = now;
      this.logger.warn(
        this.ready
          ? `Review queue error: ${error.message}`
          : `Cannot use Redis (REDIS_URL), retrying: ${error.message}`,
      );
    });
  }

  /** Whether Bull's Redis connection is up (no job can be looked for without it). */
  get ready(): boolean {
    return this.queue.client.status === 'ready';
  }

  /** Jobs by state, or undefined while Redis is down (rather than wait for it). */
  async jobCounts(): Promise<Record<(typeof QUEUE_STATES)[number], number> | undefined> {
    if (!this.ready) return undefined;
    const counts = await this.queue.getJobCounts();
    return {
      waiting: counts.waiting ?? 0,
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      failed: counts.failed ?? 0,
    };
  }

  /** Throws unless Redis answers a ping; the caller bounds the wait (ioredis queues commands while down). */
  async ping(): Promise<void> {
    if (!this.ready) throw new Error(`connection ${this.queue.client.status}`);
    await this.queue.client.ping();
  }

  /** True when queued; false when Redis did not answer in time (the event stays pending for later). */
  async enqueue(eventIds: string[]): Promise<boolean> {
    if (eventIds.length === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not answer within ${ENQUEUE_TIMEOUT_MS} ms`)),
        ENQUEUE_TIMEOUT_MS,
      );
    });
    const jobs = eventIds.map((eventId) => ({
      name: ReviewJob.Run,
      data: { eventId },
      opts: {
        jobId: eventId,
        attempts: this.review.attempts,
        backoff: { type: REVIEW_BACKOFF, options: { delayMs: this.review.backoffMs } },
        // Postgres holds the outcome; Redis keeps only work in flight, and a removed job's id
        // can be queued again when a failed event is retried.
        removeOnComplete: true,
        removeOnFail: true,
      },
    }));
    try {
      await Promise.race([this.queue.addBulk(jobs), timeout]);
      return true;
    } catch (error) {
      this.logger.warn(`${eventIds.length} event(s) stay pending, not queued: ${(error as Error).message}`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Whether a live job for this event is in Redis (waiting, delayed, paused or running), read in one
   * MULTI so a job moving between lists is never seen in none (Bull's job.getState() reads the
   * lists one after another, and each by LRANGE of the whole list). A job hash left in no list
   * ("stuck", seen after Redis lost data mid-burst) would never run and would block its id: it is
   * removed, so the event can be queued again. LPOS needs Redis 6.0.6 or later.
   */
  async hasJob(eventId: string): Promise<boolean> {
    const key = (name: string) => this.queue.toKey(name);
    const replies = await this.queue.client
      .multi()
      .exists(key(eventId))
      .zscore(key('delayed'), eventId)
      .lpos(key('active'), eventId)
      .lpos(key('wait'), eventId)
      .lpos(key('paused'), eventId)
      .exec();
    if (!replies || replies.some(([error]) => error))
      throw new Error(`Could not read the job of event ${eventId} from Redis`);
    const [exists, ...places] = replies.map(([, value]) => value);
    if (!exists) return false;
    if (places.some((place) => place !== null)) return true;
    this.logger.warn(`Removing the job of event ${eventId}, found in no list, so it can be queued again`);
    await (await this.queue.getJob(eventId))?.remove().catch(() => undefined);
    return false;
  }
}
