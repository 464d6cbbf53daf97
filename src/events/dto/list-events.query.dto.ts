import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { EVENT_STATUSES, EventStatus } from '../event-status.js';

export class ListEventsQueryDto {
  @ApiPropertyOptional({ example: 'octo-org/hello', description: 'owner/name, any case' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, { message: 'repo must be owner/name' })
  repo?: string;

  @ApiPropertyOptional({ enum: EVENT_STATUSES })
  @IsOptional()
  @IsIn(EVENT_STATUSES, { message: `status must be one of ${EVENT_STATUSES.join(', ')}` })
  status?: EventStatus;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ example: 'opened_pull_request', description: 'event_type, exactly' })
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
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset must be a whole number' })
  @Min(0)
  @Max(100_000)
  offset?: number;
}
