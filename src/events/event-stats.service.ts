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

/** Counts and latest events for summaries (the web UI's stats): the events table read in aggregate. */
@Injectable()
export class EventStatsService {
  constructor(@InjectRepository(Event) private readonly events: Repository<Event>) {}

  /** Events stored since `since`, by status and `bucketSeconds`-long bucket of their creation. */
  storedByBucket(since: Date, bucketSeconds: number): Promise<BucketCount[]> {
    return this.buckets('created_at', since, bucketSeconds);
  }

  /** Events that ended in one of `statuses` since `since`, by status and bucket of their end. */
  endedByBucket(since: Date, bucketSeconds: number, statuses: readonly EventStatus[]): Promise<BucketCount[]> {
    return this.buckets('processed_at', since, bucketSeconds, statuses);
  }

  /** Per repository (lowercased): how many events in each status, and the newest event. */
  async byRepository(): Promise<RepositoryEvents[]> {
    const [counts, latest] = await Promise.all([
      this.events.query<Array<{ repo: string; status: string; n: number }>>(
        `SELECT lower(repo) AS repo, status, count(*)::int AS n FROM events GROUP BY 1, 2`,
      ),
      this.events.query<Array<{ repo: string; id: string; event_type: string; status: string; created_at: Date }>>(
        `SELECT DISTINCT ON (lower(repo)) lower(repo) AS repo, id, event_type, status, created_at
           FROM events ORDER BY lower(repo), created_at DESC`,
      ),
    ]);
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

  private buckets(
    column: 'created_at' | 'processed_at',
    since: Date,
    bucketSeconds: number,
    statuses?: readonly EventStatus[],
  ): Promise<BucketCount[]> {
    return this.events.query<BucketCount[]>(
      `SELECT floor(extract(epoch FROM ${column}) / $2)::float8 AS bucket, status AS key, count(*)::int AS n
         FROM events WHERE ${column} >= $1 ${statuses ? 'AND status = ANY($3)' : ''} GROUP BY 1, 2`,
      statuses ? [since, bucketSeconds, statuses] : [since, bucketSeconds],
    );
  }
}
