import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Event } from './event.entity.js';
import { EventStatus } from './event-status.js';
import { toEventView, type EventView } from './event.view.js';

/** How many events of one key (a status) fell in one bucket (its start in seconds / bucket size). */
export interface BucketCount {
  bucket: number;
  key: string;
  n: number;
}

export interface RepositoryEvents {
  repo: string;
  counts: Record<string, number>;
  latest: { id: string; event_type: string; status: string; created_at: string };
}

/**
 * The stats' statements, each served by an index (migration StatsIndexes; test/polled-plans.e2e-spec.ts
 * checks the plans): the web UI polls them, and a scan of the events table would read every payload.
 */
export const STATS_SQL = {
  /** $1 since, $2 bucket seconds. */
  storedByBucket: `
    SELECT floor(extract(epoch FROM created_at) / $2)::float8 AS bucket, status AS key, count(*)::int AS n
      FROM events WHERE created_at >= $1 GROUP BY 1, 2`,
  /** $1 since, $2 bucket seconds, $3 the statuses. */
  endedByBucket: `
    SELECT floor(extract(epoch FROM processed_at) / $2)::float8 AS bucket, status AS key, count(*)::int AS n
      FROM events WHERE processed_at >= $1 AND status = ANY($3) GROUP BY 1, 2`,
  countsByRepo: `SELECT lower(repo) AS repo, status, count(*)::int AS n FROM events GROUP BY 1, 2`,
  /** $1 the repositories, lowercased. */
  latestByRepo: `
    SELECT r.repo, e.id, e.event_type, e.status, e.created_at
      FROM unnest($1::text[]) AS r (repo)
      CROSS JOIN LATERAL (
        SELECT id, event_type, status, created_at FROM events
         WHERE lower(repo) = r.repo ORDER BY created_at DESC LIMIT 1
      ) e
     ORDER BY r.repo`,
} as const;

/** Counts and latest events for summaries (the web UI's stats): the events table read in aggregate. */
@Injectable()
export class EventStatsService {
  constructor(@InjectRepository(Event) private readonly events: Repository<Event>) {}

  /** Events stored since `since`, by status and `bucketSeconds`-long bucket of their creation. */
  storedByBucket(since: Date, bucketSeconds: number): Promise<BucketCount[]> {
    return this.events.query<BucketCount[]>(STATS_SQL.storedByBucket, [since, bucketSeconds]);
  }

  /** Events that ended in one of `statuses` since `since`, by status and bucket of their end. */
  endedByBucket(since: Date, bucketSeconds: number, statuses: readonly EventStatus[]): Promise<BucketCount[]> {
    return this.events.query<BucketCount[]>(STATS_SQL.endedByBucket, [since, bucketSeconds, statuses]);
  }

  /** Per repository (lowercased): how many events in each status, and the newest event. */
  async byRepository(): Promise<RepositoryEvents[]> {
    const counts = await this.events.query<Array<{ repo: string; status: string; n: number }>>(STATS_SQL.countsByRepo);
    const repos = [...new Set(counts.map((c) => c.repo))];
    const latest = await this.events.query<
      Array<{ repo: string; id: string; event_type: string; status: string; created_at: Date }>
    >(STATS_SQL.latestByRepo, [repos]);
    // A repository whose events the retention sweep deleted between the two reads is left out.
    return latest.map((row) => ({
      repo: row.repo,
      counts: Object.fromEntries(counts.filter((c) => c.repo === row.repo).map((c) => [c.status, c.n])),
      latest: { id: row.id, event_type: row.event_type, status: row.status, created_at: row.created_at.toISOString() },
    }));
  }

  /** How many events failed, and the newest `limit` of them. */
  async failed(limit: number): Promise<{ count: number; latest: EventView[] }> {
    const [latest, count] = await this.events.findAndCount({
      where: { status: EventStatus.Failed },
      order: { createdAt: 'DESC' },
      take: limit,
    });
    return { count, latest: latest.map(toEventView) };
  }
}
