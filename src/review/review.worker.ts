import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Job, Queue } from 'bull';
import { appConfig, reviewConfig } from '../config/index.js';
import { EventLifecycleService } from '../events/event-lifecycle.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { githubMessage, githubStatus } from '../github/github-errors.js';
import { REVIEW_QUEUE, ReviewJob, type ReviewJobData } from './review.constants.js';
import { PermanentReviewError, PostInFlightError, ReviewService } from './review.service.js';

/** GitHub answers that another attempt will not change. */
const PERMANENT_STATUSES = new Set([400, 401, 404, 410, 422]);

/**
 * Runs review jobs in `worker` and `all` processes, REVIEW_CONCURRENCY at a time. Registered by
 * hand rather than with @Process so the concurrency comes from configuration and an `api`
 * process never takes a job.
 */
@Injectable()
export class ReviewWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReviewWorker.name);

  constructor(
    @InjectQueue(REVIEW_QUEUE) private readonly queue: Queue<ReviewJobData>,
    private readonly reviews: ReviewService,
    private readonly lifecycle: EventLifecycleService,
    private readonly metrics: MetricsService,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(reviewConfig.KEY) private readonly config: ConfigType<typeof reviewConfig>,
  ) {}

  onApplicationBootstrap(): void {
    if (this.app.role === 'api') return;
    void this.queue
      .process(ReviewJob.Run, this.config.concurrency, (job) => this.handle(job))
      .catch((error: Error) => {
        // Bull could not ready its Redis client (Redis refused REDIS_URL's credentials, say): that
        // queue never recovers in this process. Exit, so the process is restarted with the cause in
        // its log, rather than answer /health while running no job.
        this.logger.fatal(`Review worker could not start, exiting: ${error.message} (check REDIS_URL)`);
        process.exit(1);
      });
  }

  /** Resolves when the event is settled; throws (so Bull retries with backoff) while attempts remain. */
  async handle(job: Job<ReviewJobData>): Promise<string> {
    const { eventId } = job.data;
    const started = process.hrtime.bigint();
    const observe = (outcome: string) => this.metrics.review(outcome, Number(process.hrtime.bigint() - started) / 1e9);
    try {
      const outcome = await this.reviews.run(eventId);
      observe(outcome);
      return outcome;
    } catch (error) {
      const message = describe(error);
      const attempts = job.opts.attempts ?? 1;
      const last = job.attemptsMade + 1 >= attempts;
      if (error instanceof PostInFlightError && last) {
        // Never fail an event whose review another run is posting: that run settles it. If that run
        // died, the sweep requeues the event, and a run after the lease lapsed takes it over.
        this.logger.warn(`Review of event ${eventId}: ${message}; leaving it to that run`);
        observe('skipped');
        return 'skipped';
      }
      const permanent = error instanceof PermanentReviewError || PERMANENT_STATUSES.has(githubStatus(error));
      if (permanent || last) {
        this.logger.warn(`Review of event ${eventId} failed: ${message}`);
        await this.lifecycle.fail(eventId, message);
        await this.reviews.reportFailure(eventId);
        observe('failed');
        return 'failed';
      }
      this.logger.warn(
        `Review of event ${eventId} failed (attempt ${job.attemptsMade + 1}/${attempts}), retrying: ${message}`,
      );
      await this.lifecycle.recordError(eventId, message);
      observe('retry');
      throw error;
    }
  }
}

function describe(error: unknown): string {
  const status = githubStatus(error);
  if (status) return `GitHub answered ${status}: ${githubMessage(error)}`;
  if ((error as { request?: unknown })?.request && !(error as { response?: unknown }).response)
    return `GitHub unreachable: ${githubMessage(error)}`;
  return error instanceof Error ? error.message : String(error);
}
