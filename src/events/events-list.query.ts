import type { Repository, SelectQueryBuilder } from 'typeorm';
import type { ListEventsQueryDto } from './dto/list-events.query.dto.js';
import type { Event } from './event.entity.js';

/**
 * The events API's list, newest first: each filter has an index that serves it in that order
 * (repository, status, type; test/polled-plans.e2e-spec.ts checks the plans), as the web UI's
 * Events page polls it every few seconds with whatever filter is set.
 */
export function listEventsQuery(events: Repository<Event>, query: ListEventsQueryDto): SelectQueryBuilder<Event> {
  const builder = events
    .createQueryBuilder('e')
    .orderBy('e.created_at', 'DESC')
    .addOrderBy('e.id', 'DESC')
    .offset(query.offset ?? 0)
    .limit(query.limit ?? 50);
  if (query.repo) builder.andWhere('lower(e.repo) = lower(:repo)', { repo: query.repo });
  if (query.status) builder.andWhere('e.status = :status', { status: query.status });
  if (query.type) builder.andWhere('e.event_type = :type', { type: query.type });
  return builder;
}
