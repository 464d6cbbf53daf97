import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, type ValidationArguments } from 'class-validator';
import { GITHUB_WEBHOOK_EVENTS } from '../github-names.js';

/**
 * class-validator fills `$value` in only for a string, number or boolean; with `each: true` the
 * value is the whole array, so the message names the entries that are not event names itself.
 */
function unknownEvents({ value }: ValidationArguments): string {
  const known: readonly unknown[] = GITHUB_WEBHOOK_EVENTS;
  const bad = (Array.isArray(value) ? value : [value]).filter((event) => !known.includes(event));
  const shown = bad.slice(0, 3).map((event) => JSON.stringify(event)?.slice(0, 60) ?? String(event));
  return `events must hold GitHub webhook event names (e.g. pull_request, push); got ${shown.join(', ')}${bad.length > 3 ? ', …' : ''}`;
}

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
    message: unknownEvents,
  })
  events?: string[];
}
