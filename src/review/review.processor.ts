import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Job } from 'bull';
import { redactValues } from '../common/redact.js';
import { reviewConfig } from '../config/index.js';
import { EventLifecycleService } from '../events/event-lifecycle.service.js';
import { githubMessage, githubStatus } from '../github/github-errors.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { JobProcessor } from '../queue/job-processor.decorator.js';
import { REVIEW_QUEUE, ReviewJob, type ReviewJobData } from '../queue/review-queue.constants.js';
import { PermanentEngineError } from './engines/review-engine.js';
import { PermanentReviewError, PostInFlightError, ReviewService } from './review.service.js';

/** GitHub answers that another attempt will not change. */
const PERMANENT_STATUSES = new Set([400, 401, 404, 410, 422]);

/**
 * Runs review jobs, REVIEW_CONCURRENCY at a time, in the roles that review (`worker`, `all`).
 * Started by JobProcessorExplorer (src/queue/), which says why this is not @nestjs/bull's @Processor.
 */
@Injectable()
@JobProcessor({ queue: REVIEW_QUEUE, job: ReviewJob.Run })
export class ReviewProcessor {
  private readonly logger = new Logger(ReviewProcessor.name);
  readonly concurrency: number;
  /** Model API keys: an OpenAI-compatible server may echo the key it refused in its error. */
  private readonly keys: string[];

  constructor(
    private readonly reviews: ReviewService,
    private readonly lifecycle: EventLifecycleService,
    private readonly metrics: MetricsService,
    @Inject(reviewConfig.KEY) config: ConfigType<typeof reviewConfig>,
  ) {
    this.concurrency = config.concurrency;
    this.keys = [config.anthropic?.apiKey, config.openai?.apiKey].filter((key): key is string => !!key);
  }

  /** Resolves when the event is settled; throws (so Bull retries with backoff) while attempts remain. */
  async process(job: Job<ReviewJobData>): Promise<string> {
    const { eventId } = job.data;
    const started = process.hrtime.bigint();
    const observe = (outcome: string) => this.metrics.review(outcome, Number(process.hrtime.bigint() - started) / 1e9);
    try {
      const outcome = await this.reviews.run(eventId);
      observe(outcome);
      return outcome;
    } catch (error) {
      const outcome = await this.settleFailure(job, error);
      observe(outcome);
      if (outcome === 'retry') throw error;
      return outcome;
    }
  }

  /**
   * Every failed run comes here once: `skipped` (another run is posting), `failed` (permanent, or
   * the last attempt: the event is failed) or `retry` (recorded; the caller rethrows for Bull).
   */
  private async settleFailure(job: Job<ReviewJobData>, error: unknown): Promise<'skipped' | 'failed' | 'retry'> {
    const { eventId } = job.data;
    // The message is logged, kept as the event's error and shown by the API: never with a key in it.
    const message = redactValues(describe(error), this.keys);
    const attempts = job.opts.attempts ?? 1;
    const last = job.attemptsMade + 1 >= attempts;
    if (error instanceof PostInFlightError && last) {
      // Never fail an event because another run is posting: a run of this event settles it; if that
      // run died, or the run was another event's, the sweep requeues this event, and a run after
      // the lease lapsed (or the other event's post ended) takes it up.
      this.logger.warn(`Review of event ${eventId}: ${message}; leaving it to that run`);
      return 'skipped';
    }
    const permanent =
      error instanceof PermanentReviewError ||
      error instanceof PermanentEngineError ||
      PERMANENT_STATUSES.has(githubStatus(error));
    if (permanent || last) {
      this.logger.warn(`Review of event ${eventId} failed: ${message}`);
      await this.lifecycle.fail(eventId, message);
      await this.reviews.reportFailure(eventId);
      return 'failed';
    }
    this.logger.warn(
      `Review of event ${eventId} failed (attempt ${job.attemptsMade + 1}/${attempts}), retrying: ${message}`,
    );
    await this.lifecycle.recordError(eventId, message);
    return 'retry';
  }
}

function describe(error: unknown): string {
  const status = githubStatus(error);
  if (status) return `GitHub answered ${status}: ${githubMessage(error)}`;
  if ((error as { request?: unknown })?.request && !(error as { response?: unknown }).response)
    return `GitHub unreachable: ${githubMessage(error)}`;
  return error instanceof Error ? error.message : String(error);
}
