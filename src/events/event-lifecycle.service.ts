import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, Repository } from 'typeorm';
import { isDatabaseUnavailable } from '../common/database-errors.js';
import { Event } from './event.entity.js';
import { EventStatus, NOT_REVIEWED_NOTE } from './event-status.js';
import { backToOutbox, EventOutboxService } from './event-outbox.service.js';

const UNIQUE_VIOLATION = '23505';
const MAX_ERROR_LENGTH = 2000;
/**
 * Takes the event's posting lease when no other holder has a live one, and no other event of the
 * same pull request holds a live lease of its own (two reviews of one PR, such as a push's and a
 * `/nectr review`'s, never post at once). Reads the row locked, so two runs asking at once are
 * served one after the other; PULL_LOCK does the same for the events of one PR. A lease already
 * held by this holder ($3) is taken again: an earlier try of the same call may have committed after
 * its client gave up.
 * `posted_since_read`: an event of the PR may have posted since $4, when the caller read what Nectr
 * said on the PR: one gave its lease back since then, another holds a lapsed one (its run died, maybe
 * after posting), or this event's lease was another run's. False only when $4 is given. A build
 * older than the PostingEndedAt migration gives a lease back without `posting_ended_at`: any other
 * event of the PR it may have posted for (processing or settled) that changed since $4 counts too.
 */
const START_POSTING = `
  WITH current AS (
    SELECT id, status, posting_since, posting_by, installation_id, pr_number FROM events WHERE id = $1 FOR UPDATE
  ),
  other AS (
    SELECT 1 FROM events o JOIN current c ON o.installation_id = c.installation_id AND o.pr_number = c.pr_number
    WHERE o.id <> c.id AND o.status = 'processing'
      AND o.posting_since >= clock_timestamp() - make_interval(secs => $2::int / 1000.0)
    LIMIT 1
  ),
  taken AS (
    UPDATE events e SET posting_since = date_trunc('milliseconds', clock_timestamp()), -- a JS Date round-trips it exactly
      posting_by = $3
    FROM current c
    WHERE e.id = c.id AND c.status = 'processing' AND NOT EXISTS (SELECT 1 FROM other)
      AND (c.posting_since IS NULL OR c.posting_by IS NOT DISTINCT FROM $3::uuid
        OR c.posting_since < clock_timestamp() - make_interval(secs => $2::int / 1000.0))
    RETURNING e.posting_since
  ),
  unseen AS (
    SELECT 1 FROM events o JOIN current c ON o.installation_id = c.installation_id AND o.pr_number = c.pr_number
    WHERE o.posting_ended_at >= $4::timestamptz OR (o.id <> c.id AND o.posting_since IS NOT NULL)
      OR (o.id <> c.id AND o.status IN ('processing', 'completed', 'failed') AND o.updated_at >= $4::timestamptz)
    LIMIT 1
  )
  SELECT c.status, (SELECT posting_since FROM taken) AS since, EXISTS (SELECT 1 FROM other) AS pull_busy,
    $4::timestamptz IS NULL OR EXISTS (SELECT 1 FROM unseen)
      OR (c.posting_since IS NOT NULL AND c.posting_by IS DISTINCT FROM $3::uuid) AS posted_since_read
  FROM current c`;

/**
 * Held until the end of the transaction that runs START_POSTING: the events of one pull request
 * take their leases one at a time. (Two int4 keys: a key space apart from the single-key locks.)
 */
const PULL_LOCK = `SELECT pg_advisory_xact_lock(hashtext(installation_id::text), pr_number)
  FROM events WHERE id = $1 AND pr_number IS NOT NULL`;

/** When the event `:id` was stored (hasNewerHead). */
const ARRIVED = '(SELECT a.created_at FROM events a WHERE a.id = :id)';

/**
 * The other events of a pull request that reviewed a head ($1 installation, $2 PR, $3 this event, $4
 * NOT_REVIEWED_NOTE): completed, with a head (a delivered one, or the one a command reviewed), and
 * not skipped.
 */
const REVIEWED_BEFORE = `installation_id = $1 AND pr_number = $2 AND status = 'completed' AND id <> $3
  AND ((github_event = 'pull_request' AND head_sha IS NOT NULL) OR reviewed_head_sha IS NOT NULL)
  AND (note IS NULL OR left(note, length($4)) <> $4)`;
const reviewedBeforeParams = (event: Event) => [event.installationId, event.prNumber, event.id, NOT_REVIEWED_NOTE];

/** How long startPosting keeps trying while Postgres cannot be reached (a stall, a failover). */
const POSTING_RETRY_MS = 60_000;
const POSTING_RETRY_DELAY_MS = 1_000;

/**
 * What startPosting found: the lease is ours (also one taken over from a run whose lease lapsed),
 * another run's of this event (`busy`), another event's of the same pull request (`pull-busy`), or
 * the event is settled (`gone`).
 */
export type PostingLease =
  | { state: 'granted'; since: Date; postedSinceRead: boolean }
  | { state: 'busy' }
  | { state: 'pull-busy' }
  | { state: 'gone' };

/** Postgres's clock, which startPosting compares with `readClock`. */
const NOW = () => 'clock_timestamp()';
/**
 * A reading of Postgres's clock to the microsecond, as ISO 8601 text in UTC. A JS Date keeps only
 * milliseconds: a lease ended earlier in the same millisecond would count as ended after the read.
 */
export type ClockReading = string;
/** An event settled: its lease, if it held one, ends now. */
const LEASE_ENDED = () => 'CASE WHEN posting_since IS NULL THEN posting_ended_at ELSE clock_timestamp() END';

const RETRY = backToOutbox(
  `UPDATE events SET status = 'pending', processed_at = NULL, updated_at = now() WHERE id = $1 AND status = 'failed'`,
);

/** The latest review of a pull request: its head, its event, and what it could find (null before `reviewed_scope`). */
export interface LastReviewed {
  head: string;
  eventId: string;
  scope: string | null;
}

/** Status changes of an event as its review runs; each one guarded by the status it leaves. */
@Injectable()
export class EventLifecycleService {
  constructor(
    @InjectRepository(Event) private readonly events: Repository<Event>,
    private readonly outbox: EventOutboxService,
  ) {}

  /** pending (or processing, when a job is retried) → processing, attempts + 1; null if not runnable. */
  async claim(id: string): Promise<Event | null> {
    const result = await this.events
      .createQueryBuilder()
      .update()
      .set({ status: EventStatus.Processing, attempts: () => 'attempts + 1' })
      .where({ id, status: In([EventStatus.Pending, EventStatus.Processing]) })
      .returning(['id'])
      .execute();
    return (result.raw as unknown[]).length ? this.events.findOne({ where: { id } }) : null;
  }

  async find(id: string): Promise<Event | null> {
    return this.events.findOne({ where: { id } });
  }

  /**
   * Whether a delivery of the same pull request carries a newer head: ordered by the PR's
   * `updated_at` as GitHub stamped it, since deliveries arrive in any order (by arrival when either
   * side lacks one). Heads stamped in the same second tie: see tiedHeads.
   */
  async hasNewerHead(event: Event): Promise<boolean> {
    return this.events
      .createQueryBuilder('e')
      .where('e.installation_id = :installationId AND e.pr_number = :prNumber AND e.head_sha <> :headSha', event)
      .andWhere(
        // The arrival is compared in SQL, at Postgres's precision (a JS Date keeps milliseconds).
        event.prUpdatedAt
          ? `(e.pr_updated_at > :prUpdatedAt OR (e.pr_updated_at IS NULL AND e.created_at > ${ARRIVED}))`
          : `e.created_at > ${ARRIVED}`,
        event,
      )
      .andWhere(`e.github_event = 'pull_request'`)
      .getExists();
  }

  /**
   * The other heads of this pull request's deliveries that GitHub stamped in the same second as this
   * event's: GitHub's `updated_at` counts whole seconds and deliveries arrive in any order, so only
   * the PR's head on GitHub says which of them is newer.
   */
  async tiedHeads(event: Event): Promise<string[]> {
    if (!event.prUpdatedAt || !event.headSha) return [];
    const rows = await this.events
      .createQueryBuilder('e')
      .select('DISTINCT e.head_sha', 'head_sha')
      .where('e.installation_id = :installationId AND e.pr_number = :prNumber AND e.head_sha <> :headSha', event)
      .andWhere('e.pr_updated_at = :prUpdatedAt', event)
      .andWhere(`e.github_event = 'pull_request'`)
      .getRawMany<{ head_sha: string }>();
    return rows.map((row) => row.head_sha);
  }

  /**
   * The head (and event) of the latest review of this pull request that ended `completed` (with a
   * review posted or not; a `/nectr review` too), by the PR's `updated_at` (a command's, which has
   * none, by when it ended): the base of an incremental review. Only completed events count, so it
   * is never ahead of what was reviewed.
   */
  async lastReviewed(event: Event): Promise<LastReviewed | null> {
    const [row]: Array<{ head: string; id: string; reviewed_scope: string | null }> = await this.events.query(
      `SELECT coalesce(head_sha, reviewed_head_sha) AS head, id, reviewed_scope FROM events WHERE ${REVIEWED_BEFORE}
       ORDER BY coalesce(pr_updated_at, processed_at) DESC, processed_at DESC LIMIT 1`,
      reviewedBeforeParams(event),
    );
    return row ? { head: row.head, eventId: row.id, scope: row.reviewed_scope } : null;
  }

  /** Whether an earlier event of this pull request reviewed `headSha` (ended `completed`, not skipped). */
  async reviewedBefore(event: Event, headSha: string): Promise<boolean> {
    const rows: unknown[] = await this.events.query(
      `SELECT 1 FROM events WHERE ${REVIEWED_BEFORE} AND coalesce(head_sha, reviewed_head_sha) = $5 LIMIT 1`,
      [...reviewedBeforeParams(event), headSha],
    );
    return rows.length > 0;
  }

  /**
   * Records the head a `/nectr review` is reviewing, before it sets any status there: a command's
   * event has no head of its own, and its failure and the PR's next review need this one.
   */
  async recordReviewedHead(id: string, headSha: string): Promise<void> {
    await this.events.update({ id, status: EventStatus.Processing }, { reviewedHeadSha: headSha });
  }

  /** The payload as GitHub delivered it; null when there is no such event. */
  async payloadOf(id: string): Promise<Record<string, unknown> | null> {
    const event = await this.events.findOne({ where: { id }, select: { id: true, payload: true } });
    return event?.payload ?? null;
  }

  /** The payload's pull_request object (title and description as GitHub delivered them). */
  async pullRequestOf(id: string): Promise<Record<string, unknown> | null> {
    const pull = (await this.payloadOf(id))?.pull_request;
    return pull && typeof pull === 'object' ? (pull as Record<string, unknown>) : null;
  }

  /**
   * One run at a time posts an event's review. Bull can run a job a second time while the first run
   * still works (its lock lapsed: Redis away, or the worker starved): that run waits for this lease
   * (`busy`) instead of posting too. A lease older than `leaseMs` belonged to a run that died and is
   * granted to the next; whoever holds the lease reads the PR's reviews before posting, so a review
   * the dead run may have posted is found (ReviewService.postOnce).
   * Another event of the same pull request posting (`pull-busy`) is waited for by the caller.
   * `readAt` (readClock) is when the caller read the PR's reviews: a granted lease says whether any
   * review may have been posted on the PR since (no `readAt`: always).
   */
  async startPosting(id: string, leaseMs: number, readAt: ClockReading | null = null): Promise<PostingLease> {
    const holder = randomUUID();
    const deadline = Date.now() + POSTING_RETRY_MS;
    for (;;) {
      try {
        return await this.takePostingLease(id, leaseMs, holder, readAt);
      } catch (error) {
        // The statement may have committed anyway: the next try recognises the lease as this holder's.
        if (!isDatabaseUnavailable(error) || Date.now() + POSTING_RETRY_DELAY_MS > deadline) throw error;
        await new Promise((resume) => setTimeout(resume, POSTING_RETRY_DELAY_MS));
      }
    }
  }

  private async takePostingLease(
    id: string,
    leaseMs: number,
    holder: string,
    readAt: ClockReading | null,
  ): Promise<PostingLease> {
    const [row] = await this.events.manager.transaction(async (manager) => {
      await manager.query(PULL_LOCK, [id]);
      return manager.query<
        Array<{
          status: EventStatus;
          since: Date | null;
          pull_busy: boolean;
          posted_since_read: boolean;
        }>
      >(START_POSTING, [id, leaseMs, holder, readAt]);
    });
    if (row?.since) return { state: 'granted', since: row.since, postedSinceRead: row.posted_since_read };
    if (row?.status !== EventStatus.Processing) return { state: 'gone' };
    return { state: row.pull_busy ? 'pull-busy' : 'busy' };
  }

  /** Postgres's clock now: taken before reading the PR's reviews, and given to startPosting. */
  async readClock(): Promise<ClockReading> {
    const [row] = await this.events.query<Array<{ now: ClockReading }>>(
      `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now`,
    );
    return row.now;
  }

  /** A post that failed gives the lease back at once, so the job's retry can post. */
  async endPosting(id: string, since: Date): Promise<void> {
    await this.events.update({ id, postingSince: since }, { postingSince: null, postingBy: null, postingEndedAt: NOW });
  }

  /** processing → completed; `scope` is what a review could find (none when the event reviewed nothing). */
  async complete(id: string, reviewUrl: string | null, note: string | null = null, scope?: string): Promise<void> {
    await this.events.update(
      { id, status: EventStatus.Processing },
      {
        status: EventStatus.Completed,
        reviewUrl,
        note,
        ...(scope ? { reviewedScope: scope } : {}),
        error: null,
        processedAt: new Date(),
        postingSince: null,
        postingBy: null,
        postingEndedAt: LEASE_ENDED,
      },
    );
  }

  async fail(id: string, error: string): Promise<void> {
    await this.events.update(
      { id, status: EventStatus.Processing },
      {
        status: EventStatus.Failed,
        error: error.slice(0, MAX_ERROR_LENGTH),
        processedAt: new Date(),
        postingSince: null,
        postingBy: null,
        postingEndedAt: LEASE_ENDED,
      },
    );
  }

  /** Keeps the latest error visible while attempts remain. */
  async recordError(id: string, error: string): Promise<void> {
    await this.events.update({ id, status: EventStatus.Processing }, { error: error.slice(0, MAX_ERROR_LENGTH) });
  }

  async supersede(id: string, reason: string): Promise<void> {
    await this.events.update(
      { id, status: In([EventStatus.Pending, EventStatus.Processing]) },
      { status: EventStatus.Superseded, error: reason, processedAt: new Date() },
    );
  }

  /** A failed event back to pending and onto the queue; any other status is a 409. */
  async retry(id: string): Promise<Event> {
    try {
      const back: unknown[] = await this.events.query(RETRY, [id]);
      if (back.length === 0) {
        const event = await this.events.findOne({ where: { id } });
        if (!event) throw new NotFoundException(`Event ${id} not found`);
        throw new ConflictException(`Only failed events can be retried; event ${id} is ${event.status}`);
      }
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      throw new ConflictException('A review of the same pull request head is already pending or running');
    }
    this.outbox.notify();
    return (await this.events.findOne({ where: { id } }))!;
  }
}
