import { ApiProperty } from '@nestjs/swagger';
import type { Event } from './event.entity.js';
import { EVENT_STATUSES, EventStatus } from './event-status.js';

const nullableString = (description?: string) => ({ type: String, nullable: true, description });

/** What the API shows of an event (the list leaves the payload out). */
export class EventView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'octo-org/hello' })
  repo: string;

  @ApiProperty({ description: 'X-GitHub-Delivery' })
  delivery_id: string;

  @ApiProperty({
    example: 'opened_pull_request',
    description: '`<action>_<event>`, or `<event>` when the payload has no action',
  })
  event_type: string;

  @ApiProperty({ example: 'pull_request', description: 'X-GitHub-Event' })
  github_event: string;

  @ApiProperty(nullableString())
  action: string | null;

  @ApiProperty({ type: Number, nullable: true })
  pr_number: number | null;

  @ApiProperty(nullableString())
  head_sha: string | null;

  @ApiProperty({ enum: EVENT_STATUSES })
  status: EventStatus;

  @ApiProperty({ description: 'Review attempts so far' })
  attempts: number;

  @ApiProperty(nullableString('The latest failure, kept once the event is failed'))
  error: string | null;

  @ApiProperty(nullableString('The review Nectr posted on GitHub; null when it posted none (see `note`)'))
  review_url: string | null;

  @ApiProperty({
    ...nullableString('Why the event ended as it did when no review shows it'),
    example: 'No new findings since abc1234',
  })
  note: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  updated_at: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  processed_at: string | null;
}

export class EventDetailView extends EventView {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The payload as GitHub delivered it' })
  payload: Record<string, unknown>;
}

export function toEventView(event: Event): EventView {
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
    note: event.note,
    created_at: event.createdAt.toISOString(),
    updated_at: event.updatedAt.toISOString(),
    processed_at: event.processedAt?.toISOString() ?? null,
  };
}
