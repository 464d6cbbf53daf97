import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { EVENT_STATUSES, EventStatus } from '../event-status.js';

/**
 * `?repo=&status=` (API.md writes the query that way) or a form's empty field means "no filter",
 * not a filter on the empty string: an empty value is unset, as empty environment variables are.
 */
const EmptyIsUnset = () => Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));
/** A number from the query string; empty is unset (class-transformer's @Type would make it 0). */
const NumberOrUnset = () =>
  Transform(({ value }: { value: unknown }) => (value === '' || value === undefined ? undefined : Number(value)));

export class ListEventsQueryDto {
  @ApiPropertyOptional({ example: 'octo-org/hello', description: 'owner/name, any case' })
  @EmptyIsUnset()
  @IsOptional()
  @Matches(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, { message: 'repo must be owner/name' })
  repo?: string;

  @ApiPropertyOptional({ enum: EVENT_STATUSES })
  @EmptyIsUnset()
  @IsOptional()
  @IsIn(EVENT_STATUSES, { message: `status must be one of ${EVENT_STATUSES.join(', ')}` })
  status?: EventStatus;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 500, default: 50 })
  @NumberOrUnset()
  @IsOptional()
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ example: 'opened_pull_request', description: 'event_type, exactly' })
  @EmptyIsUnset()
  @IsOptional()
  @Matches(/^[a-z0-9_]{1,130}$/, { message: 'type must be an event_type such as opened_pull_request' })
  type?: string;

  @ApiPropertyOptional({
    type: Number,
    minimum: 0,
    maximum: 100000,
    default: 0,
    description: 'Events to skip (paging)',
  })
  @NumberOrUnset()
  @IsOptional()
  @IsInt({ message: 'offset must be a whole number' })
  @Min(0)
  @Max(100_000)
  offset?: number;
}
