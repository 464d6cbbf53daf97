import { ApiProperty } from '@nestjs/swagger';
import { EventView } from '../events/event.view.js';

export class TimeSeriesView {
  @ApiProperty({ example: 60 })
  bucket_seconds: number;

  @ApiProperty({ type: [Number], description: 'Start of each one-minute bucket, Unix seconds, oldest first' })
  times: number[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'number' } },
    description: 'One count per bucket for each key',
  })
  series: Record<string, number[]>;
}

export class QueueDepthView {
  @ApiProperty() waiting: number;
  @ApiProperty() active: number;
  @ApiProperty() delayed: number;
  @ApiProperty() failed: number;
}

export class RateLimitView {
  @ApiProperty() limit: number;
  @ApiProperty() remaining: number;
  @ApiProperty({ format: 'date-time' }) reset_at: string;
}

export class FailedEventsView {
  @ApiProperty({ description: 'Events failed after every attempt' })
  count: number;

  @ApiProperty({ type: [EventView], description: 'The latest ones, newest first' })
  latest: EventView[];
}

export class OverviewView {
  @ApiProperty({ enum: ['hour', 'day'] })
  window: string;

  @ApiProperty({
    type: TimeSeriesView,
    description: 'Stored deliveries per minute, by the status of the event each became',
  })
  deliveries: TimeSeriesView;

  @ApiProperty({
    type: TimeSeriesView,
    description: 'Reviews that ended per minute, by outcome (completed, failed, superseded)',
  })
  reviews: TimeSeriesView;

  @ApiProperty({
    type: QueueDepthView,
    nullable: true,
    description: 'Review jobs by state; null while Redis is unreachable',
  })
  queue: QueueDepthView | null;

  @ApiProperty({ description: 'Pending events stored but not yet on the review queue' })
  outbox_backlog: number;

  @ApiProperty({ type: FailedEventsView })
  failed_events: FailedEventsView;

  @ApiProperty({
    type: RateLimitView,
    nullable: true,
    description: "GITHUB_TOKEN's core rate limit; null when GitHub did not answer",
  })
  github_rate_limit: RateLimitView | null;
}

export class LastEventView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() event_type: string;
  @ApiProperty() status: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class RepoStatsView {
  @ApiProperty({ example: 'octo-org/hello', description: 'As the latest event named it, lower case' })
  repo: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { completed: 12, failed: 1 } })
  events_by_status: Record<string, number>;

  @ApiProperty({ type: LastEventView, description: 'The latest delivery and what became of it' })
  last_event: LastEventView;
}
