import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Event } from '../events/event.entity.js';
import { EventOutboxService } from '../events/event-outbox.service.js';
import { EventStatus, EVENT_STATUSES } from '../events/event-status.js';
import { toEventView } from '../events/event.view.js';
import { GITHUB_INTERACTIVE_CLIENT } from '../github/github.module.js';
import type { GithubClient } from '../github/octokit.factory.js';
import { ReviewQueueService } from '../queue/review-queue.service.js';
import { WINDOWS, type StatsWindow } from './dto/overview.query.dto.js';
import type { OverviewView, QueueDepthView, RateLimitView, RepoStatsView, TimeSeriesView } from './stats.view.js';

const BUCKET_SECONDS = 60;
const REVIEW_OUTCOMES = [EventStatus.Completed, EventStatus.Failed, EventStatus.Superseded];
/** The overview page polls; GitHub's rate limit is asked at most this often per process. */
const RATE_LIMIT_CACHE_MS = 30_000;

interface BucketRow {
  minute: string;
  key: string;
  n: number;
}

/** Summaries for the web UI's Overview and Repositories pages, read from the events table and the queue. */
@Injectable()
export class StatsService {
  private rateLimit?: { at: number; value: Promise<RateLimitView | null> };

  constructor(
    @InjectDataSource() private readonly db: DataSource,
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
      this.db.query<BucketRow[]>(
        `SELECT floor(extract(epoch FROM created_at) / ${BUCKET_SECONDS})::bigint AS minute, status AS key, count(*)::int AS n
           FROM events WHERE created_at >= $1 GROUP BY 1, 2`,
        [since],
      ),
      this.db.query<BucketRow[]>(
        `SELECT floor(extract(epoch FROM processed_at) / ${BUCKET_SECONDS})::bigint AS minute, status AS key, count(*)::int AS n
           FROM events WHERE processed_at >= $1 AND status = ANY($2) GROUP BY 1, 2`,
        [since, REVIEW_OUTCOMES],
      ),
      this.queueDepth(),
      this.outbox.count(),
      this.failedEvents(),
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
    const [counts, latest] = await Promise.all([
      this.db.query<Array<{ repo: string; status: string; n: number }>>(
        `SELECT lower(repo) AS repo, status, count(*)::int AS n FROM events GROUP BY 1, 2`,
      ),
      this.db.query<Array<{ repo: string; id: string; event_type: string; status: string; created_at: Date }>>(
        `SELECT DISTINCT ON (lower(repo)) lower(repo) AS repo, id, event_type, status, created_at
           FROM events ORDER BY lower(repo), created_at DESC`,
      ),
    ]);
    return latest.map((row) => ({
      repo: row.repo,
      events_by_status: Object.fromEntries(counts.filter((c) => c.repo === row.repo).map((c) => [c.status, c.n])),
      last_event: {
        id: row.id,
        event_type: row.event_type,
        status: row.status,
        created_at: row.created_at.toISOString(),
      },
    }));
  }

  private async queueDepth(): Promise<QueueDepthView | null> {
    // Redis down: say so rather than hang the page.
    return (await this.reviewQueue.jobCounts()) ?? null;
  }

  private async failedEvents() {
    const repository = this.db.getRepository(Event);
    const [latest, count] = await repository.findAndCount({
      where: { status: EventStatus.Failed },
      order: { createdAt: 'DESC' },
      take: 5,
    });
    return { count, latest: latest.map(toEventView) };
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

function series(rows: BucketRow[], keys: readonly string[], first: number, buckets: number): TimeSeriesView {
  const times = Array.from({ length: buckets }, (_, i) => (first + i) * BUCKET_SECONDS);
  const out: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, new Array<number>(buckets).fill(0)]));
  for (const row of rows) {
    const i = Number(row.minute) - first;
    if (out[row.key] && i >= 0 && i < buckets) out[row.key][i] = row.n;
  }
  return { bucket_seconds: BUCKET_SECONDS, times, series: out };
}
