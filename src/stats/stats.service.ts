import { Inject, Injectable } from '@nestjs/common';
import { EventOutboxService } from '../events/event-outbox.service.js';
import { EventStatsService, type BucketCount } from '../events/event-stats.service.js';
import { EventStatus, EVENT_STATUSES } from '../events/event-status.js';
import { GITHUB_INTERACTIVE_CLIENT } from '../github/github.module.js';
import type { GithubClient } from '../github/octokit.factory.js';
import { ReviewQueueService } from '../queue/review-queue.service.js';
import { WINDOWS, type StatsWindow } from './dto/overview.query.dto.js';
import type { OverviewView, QueueDepthView, RateLimitView, RepoStatsView, TimeSeriesView } from './stats.view.js';

const BUCKET_SECONDS = 60;
const REVIEW_OUTCOMES = [EventStatus.Completed, EventStatus.Failed, EventStatus.Superseded];
/** The overview page polls; GitHub's rate limit is asked at most this often per process. */
const RATE_LIMIT_CACHE_MS = 30_000;
/** The newest failed events the overview lists. */
const FAILED_SHOWN = 5;

/** Summaries for the web UI's Overview and Repositories pages, from the events' counts and the queue. */
@Injectable()
export class StatsService {
  private rateLimit?: { at: number; value: Promise<RateLimitView | null> };

  constructor(
    private readonly events: EventStatsService,
    private readonly reviewQueue: ReviewQueueService,
    private readonly outbox: EventOutboxService,
    @Inject(GITHUB_INTERACTIVE_CLIENT) private readonly github: GithubClient,
  ) {}

  async overview(window: StatsWindow): Promise<OverviewView> {
    const buckets = WINDOWS[window];
    const last = Math.floor(Date.now() / 1000 / BUCKET_SECONDS);
    const first = last - buckets + 1;
    const since = new Date(first * BUCKET_SECONDS * 1000);
    const [deliveries, reviews, queue, outbox, failed, rateLimit] = await Promise.all([
      this.events.storedByBucket(since, BUCKET_SECONDS),
      this.events.endedByBucket(since, BUCKET_SECONDS, REVIEW_OUTCOMES),
      this.queueDepth(),
      this.outbox.count(),
      this.events.failed(FAILED_SHOWN),
      this.githubRateLimit(),
    ]);
    return {
      window,
      deliveries: series(deliveries, EVENT_STATUSES, first, buckets),
      reviews: series(reviews, REVIEW_OUTCOMES, first, buckets),
      queue,
      outbox_backlog: outbox,
      failed_events: failed,
      github_rate_limit: rateLimit,
    };
  }

  async repos(): Promise<RepoStatsView[]> {
    return (await this.events.byRepository()).map(({ repo, counts, latest }) => ({
      repo,
      events_by_status: counts,
      last_event: latest,
    }));
  }

  private async queueDepth(): Promise<QueueDepthView | null> {
    // Redis down: say so rather than hang the page.
    return (await this.reviewQueue.jobCounts()) ?? null;
  }

  private githubRateLimit(): Promise<RateLimitView | null> {
    if (!this.rateLimit || Date.now() - this.rateLimit.at > RATE_LIMIT_CACHE_MS) {
      // GET /rate_limit does not count against the limit it reports.
      const value = this.github.rest.rateLimit.get().then(
        ({ data }) => ({
          limit: data.resources.core.limit,
          remaining: data.resources.core.remaining,
          reset_at: new Date(data.resources.core.reset * 1000).toISOString(),
        }),
        () => null,
      );
      this.rateLimit = { at: Date.now(), value };
    }
    return this.rateLimit.value;
  }
}

function series(rows: BucketCount[], keys: readonly string[], first: number, buckets: number): TimeSeriesView {
  const times = Array.from({ length: buckets }, (_, i) => (first + i) * BUCKET_SECONDS);
  const out: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, new Array<number>(buckets).fill(0)]));
  for (const row of rows) {
    const i = row.bucket - first;
    if (out[row.key] && i >= 0 && i < buckets) out[row.key][i] = row.n;
  }
  return { bucket_seconds: BUCKET_SECONDS, times, series: out };
}
