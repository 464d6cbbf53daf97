import { BadRequestException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { eventsConfig } from '../config/index.js';
import { EventInsertBatcher, type EventRow } from './event-insert.batcher.js';
import { EventStatus } from './event-status.js';
import { encodePayload } from './payload-codec.js';
import { EventOutboxService } from './event-outbox.service.js';

export interface IngestInput {
  installationId: string;
  repo: string;
  deliveryId: string;
  githubEvent: string;
  action: string | null;
  prNumber: number | null;
  headSha: string | null;
  prUpdatedAt: Date | null;
  reviewable: boolean;
  /** The payload's JSON text as UTF-8 bytes, stored as sent (never re-serialised here). */
  payloadBytes: Buffer;
}

export type IngestResult =
  { status: 'received'; eventId: string; eventType: string } | { status: 'duplicate_skipped'; eventId: string };

export const KNOWN_DELIVERIES_SQL =
  'SELECT DISTINCT delivery_id FROM events WHERE created_at >= $2 AND delivery_id = ANY($1)';

const FIND_CONFLICT = `
  SELECT id, delivery_id = $1 AS by_delivery, created_at > now() - make_interval(mins => $5) AS recent
  FROM events
  WHERE (delivery_id = $1 AND status IN ('received', 'pending', 'processing'))
     OR ($6 AND installation_id = $2 AND pr_number = $3 AND head_sha = $4 AND status IN ('pending', 'processing'))
  ORDER BY by_delivery DESC
  LIMIT 1`;

const BUMP_UPDATED_AT = `UPDATE events SET pr_updated_at = $2
  WHERE id = $1 AND status IN ('pending', 'processing') AND (pr_updated_at IS NULL OR pr_updated_at < $2)`;

@Injectable()
export class EventsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly inserter: EventInsertBatcher,
    private readonly outbox: EventOutboxService,
    @Inject(eventsConfig.KEY) private readonly config: ConfigType<typeof eventsConfig>,
  ) {}

  /**
   * Stores a verified delivery (committed before this returns); the relay then queues its review. A delivery
   * already received, or a review of the same PR head already pending or running within the
   * dedupe window, is a duplicate; the existing event's id is returned.
   */
  async ingest(input: IngestInput): Promise<IngestResult> {
    const eventType = input.action ? `${input.action}_${input.githubEvent}` : input.githubEvent;
    const status = input.reviewable ? EventStatus.Pending : EventStatus.Received;
    // Field by field rather than `{ ...input, ... }` (V8's slow path; docs/performance.md), and without
    // the delivered bytes, which the queued row has no use for.
    const row: EventRow = {
      installationId: input.installationId,
      repo: input.repo,
      deliveryId: input.deliveryId,
      githubEvent: input.githubEvent,
      action: input.action,
      eventType,
      prNumber: input.prNumber,
      headSha: input.headSha,
      prUpdatedAt: input.prUpdatedAt,
      status,
      payload: encodePayload(input.payloadBytes),
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      const eventId = await this.inserter.insert(row).catch(rejectUnstorable);
      if (eventId) {
        if (input.reviewable) this.outbox.notify();
        return { status: 'received', eventId, eventType };
      }
      const [existing]: Array<{ id: string; by_delivery: boolean; recent: boolean }> = await this.db.query(
        FIND_CONFLICT,
        [
          input.deliveryId,
          input.installationId,
          input.prNumber,
          input.headSha,
          this.config.dedupeWindowMinutes,
          input.reviewable,
        ],
      );
      if (!existing) continue; // the conflicting event finished meanwhile: insert again
      if (existing.by_delivery) return { status: 'duplicate_skipped', eventId: existing.id };
      if (existing.recent) {
        // The same head delivered again, later (a push reverted by a force-push while that head's
        // review waits or runs): it is the PR's newest head now, so the heads delivered in between
        // must yield to it (hasNewerHead, the relay's supersede), not it to them.
        if (input.prUpdatedAt) await this.db.query(BUMP_UPDATED_AT, [existing.id, input.prUpdatedAt]);
        return { status: 'duplicate_skipped', eventId: existing.id };
      }
      // Older than the dedupe window: that review is stale and must not block this one.
      await this.db.query(
        `UPDATE events SET status = 'superseded', updated_at = now(), error = 'Superseded by a new delivery after the dedupe window'
         WHERE id = $1 AND status IN ('pending', 'processing')`,
        [existing.id],
      );
    }
    throw new ServiceUnavailableException('The event could not be stored, try again');
  }

  /**
   * Which of these X-GitHub-Delivery ids Nectr has stored since `since`, in any status. Only active
   * events have an index on their delivery id, so the lookup is bounded in time instead: it reads
   * the window's events from the created_at index, not the whole table.
   */
  async knownDeliveries(deliveryIds: string[], since: Date): Promise<Set<string>> {
    if (deliveryIds.length === 0) return new Set();
    const rows: Array<{ delivery_id: string }> = await this.db.query(KNOWN_DELIVERIES_SQL, [deliveryIds, since]);
    return new Set(rows.map((r) => r.delivery_id));
  }
}

/**
 * Valid JSON that Postgres's jsonb refuses (lone surrogates, numbers out of range, absurd nesting)
 * is the sender's problem: a 400, not a 500.
 */
function rejectUnstorable(error: unknown): never {
  const code =
    (error as { driverError?: { code?: string }; code?: string }).driverError?.code ??
    (error as { code?: string }).code;
  if (code?.startsWith('22') || code === '54001') {
    throw new BadRequestException(`Webhook payload cannot be stored: ${(error as Error).message}`);
  }
  throw error;
}
