import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { EventOutboxService } from '../events/event-outbox.service.js';
import type { GithubObserver } from '../github/github.module.js';
import type { GithubHeaders } from '../github/octokit.factory.js';
import { QUEUE_STATES, ReviewQueueService } from '../queue/review-queue.service.js';

/** Prometheus metrics of this process, on a registry of its own (several apps may share a process in tests). */
@Injectable()
export class MetricsService implements GithubObserver {
  readonly registry = new Registry();

  private readonly webhooks = new Counter({
    name: 'nectr_webhooks_total',
    help: 'Webhook deliveries by result (received, duplicate_skipped, ignored, unknown_webhook, invalid_signature, bad_request, unavailable) and event type',
    labelNames: ['result', 'event_type'] as const,
    registers: [this.registry],
  });

  private readonly signatureFailures = new Counter({
    name: 'nectr_webhook_signature_failures_total',
    help: 'Deliveries refused for a missing or wrong X-Hub-Signature-256',
    registers: [this.registry],
  });

  private readonly reviewDuration = new Histogram({
    name: 'nectr_review_duration_seconds',
    help: 'Time a review job took, by outcome (completed, superseded, skipped, failed, retry)',
    labelNames: ['outcome'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });

  private readonly githubCalls = new Counter({
    name: 'nectr_github_requests_total',
    help: 'GitHub API answers by HTTP status (0: GitHub unreachable)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  // Labelled by GitHub's x-ratelimit-resource (core, search, graphql…): no series until GitHub
  // has answered, rather than a 0 that would read as a token run dry.
  private readonly githubRateLimitRemaining = new Gauge({
    name: 'nectr_github_rate_limit_remaining',
    help: "GITHUB_TOKEN's requests left in the current rate-limit window, from GitHub's latest answer to this process",
    labelNames: ['resource'] as const,
    registers: [this.registry],
  });

  private readonly githubRateLimitReset = new Gauge({
    name: 'nectr_github_rate_limit_reset_timestamp_seconds',
    help: 'When the current rate-limit window ends (Unix time), from the same answer',
    labelNames: ['resource'] as const,
    registers: [this.registry],
  });

  constructor(reviewQueue: ReviewQueueService, outbox: EventOutboxService) {
    collectDefaultMetrics({ register: this.registry, prefix: 'nectr_' });
    new Gauge({
      name: 'nectr_review_queue_jobs',
      help: 'Review jobs in the queue by state',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        // Redis down: report nothing rather than hang the scrape.
        const counts = await reviewQueue.jobCounts();
        if (counts) for (const state of QUEUE_STATES) this.set({ state }, counts[state]);
      },
    });
    new Gauge({
      name: 'nectr_outbox_events',
      help: 'Pending events stored but not yet on the review queue (worker processes relay them)',
      registers: [this.registry],
      async collect() {
        // Postgres down: report nothing rather than fail the scrape.
        const count = await outbox.count().catch(() => undefined);
        if (count !== undefined) this.set(count);
      },
    });
  }

  webhook(result: string, eventType = ''): void {
    this.webhooks.inc({ result, event_type: eventType });
    if (result === 'invalid_signature') this.signatureFailures.inc();
  }

  review(outcome: string, seconds: number): void {
    this.reviewDuration.observe({ outcome }, seconds);
  }

  github(status: number, headers: GithubHeaders = {}): void {
    this.githubCalls.inc({ status: String(status) });
    const remaining = Number(headers['x-ratelimit-remaining'] ?? NaN);
    const reset = Number(headers['x-ratelimit-reset'] ?? NaN);
    const resource = String(headers['x-ratelimit-resource'] ?? 'core');
    if (Number.isFinite(remaining)) this.githubRateLimitRemaining.set({ resource }, remaining);
    if (Number.isFinite(reset)) this.githubRateLimitReset.set({ resource }, reset);
  }
}
