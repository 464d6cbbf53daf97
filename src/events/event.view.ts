import type { Event } from './event.entity.js';

export function toEventView(event: Event) {
  return {
    id: event.id,
    repo: event.repo,
    delivery_id: event.deliveryId,
    event_type: event.eventType,
    github_event: event.githubEvent,
    action: event.action,
    pr_number: event.prNumber,
    head_sha: event.headSha,
    status: event.status,
    attempts: event.attempts,
    error: event.error,
    review_url: event.reviewUrl,
    created_at: event.createdAt.toISOString(),
    updated_at: event.updatedAt.toISOString(),
    processed_at: event.processedAt?.toISOString() ?? null,
  };
}
