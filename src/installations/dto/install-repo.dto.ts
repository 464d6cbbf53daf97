import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsIn, IsOptional, ValidateBy, type ValidationArguments } from 'class-validator';
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

/**
 * The number of events, judged for an array only: a string or an object is answered by `@IsArray`
 * alone (class-validator's `ArrayMinSize`/`ArrayMaxSize` fail a non-array too, three messages for
 * one mistake).
 */
function EventCount(min: number, max: number) {
  return ValidateBy({
    name: 'eventCount',
    validator: {
      validate: (value: unknown) => !Array.isArray(value) || (value.length >= min && value.length <= max),
      defaultMessage: ({ value }: ValidationArguments) =>
        (value as unknown[]).length < min
          ? 'events must name at least one event'
          : `events must name at most ${max} events`,
    },
  });
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
  @EventCount(1, GITHUB_WEBHOOK_EVENTS.length)
  @IsIn(GITHUB_WEBHOOK_EVENTS, {
    each: true,
    message: unknownEvents,
  })
  events?: string[];
}
