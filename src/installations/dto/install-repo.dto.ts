import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional } from 'class-validator';
import { GITHUB_WEBHOOK_EVENTS } from '../github-names.js';

export class InstallRepoDto {
  @ApiPropertyOptional({
    type: [String],
    enum: GITHUB_WEBHOOK_EVENTS,
    default: ['pull_request', 'push'],
    description: 'GitHub webhook events the hook subscribes to',
  })
  @IsOptional()
  @IsArray({ message: 'events must be an array of GitHub event names, e.g. ["pull_request","push"]' })
  @ArrayMinSize(1, { message: 'events must name at least one event' })
  @ArrayMaxSize(GITHUB_WEBHOOK_EVENTS.length)
  @IsIn(GITHUB_WEBHOOK_EVENTS, {
    each: true,
    message: 'events must hold GitHub webhook event names (e.g. pull_request, push); got $value',
  })
  events?: string[];
}
