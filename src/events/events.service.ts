import { BadRequestException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { eventsConfig } from '../config/index.js';
import { ReviewQueueService } from '../review/review-queue.service.js';
import { EventStatus } from './event-status.js';

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
  /** The payload as JSON text; Postgres parses it into jsonb, so it is never re-serialised here. */
  payloadJson: string;
}

export type IngestResult =
  | { status: 'received'; eventId: string; eventType: string; queued: boolean }
  | { status: 'duplicate_skipped'; eventId: string };

// One statement, one round trip: the partial unique indexes decide what is a duplicate, and a newer
// head of the same PR supersedes its older pending events, all atomically.
const INSERT_EVENT = `
  WITH inserted AS (
    INSERT INTO events (installation_id, repo, delivery_id, github_event, action, event_type, pr_number, head_sha, pr_updated_at, status, payload)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb)
    ON CONFLICT DO NOTHING
    RETURNING id
  ), superseded AS (
    UPDATE events SET status = 'superseded', updated_at = now()
    WHERE $10 = 'pending' AND installation_id = $1 AND pr_number = $7 AND status = 'pending'
      AND head_sha IS DISTINCT FROM $8 AND pr_updated_at < $9
      AND EXISTS (SELECT 1 FROM inserted)
  )
  SELECT id FROM inserted`;

const FIND_CONFLICT = `
  SELECT id, delivery_id = $1 AS by_delivery, created_at > now() - make_interval(mins => $5) AS recent
  FROM events
  WHERE (delivery_id = $1 AND status IN ('received', 'pending', 'processing'))
     OR ($6 AND installation_id = $2 AND pr_number = $3 AND head_sha = $4 AND status IN ('pending', 'processing'))
  ORDER BY by_delivery DESC
  LIMIT 1`;

@Injectable()
export class EventsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reviewQueue: ReviewQueueService,
    @Inject(eventsConfig.KEY) private readonly config: ConfigType<typeof eventsConfig>,
  ) {}

  /**
   * Stores a verified delivery (committed before this returns) and queues its review. A delivery
   * already received, or a review of the same PR head already pending or running within the
   * dedupe window, is a duplicate; the existing event's id is returned.
   */
  async ingest(input: IngestInput): Promise<IngestResult> {
    const eventType = input.action ? `${input.action}_${input.githubEvent}` : input.githubEvent;
    const status = input.reviewable ? EventStatus.Pending : EventStatus.Received;
    for (let attempt = 0; attempt < 3; attempt++) {
      const rows: Array<{ id: string }> = await this.db
        .query(INSERT_EVENT, [
          input.installationId, input.repo, input.deliveryId, input.githubEvent, input.action, eventType,
          input.prNumber, input.headSha, input.prUpdatedAt, status, input.payloadJson,
        ])
        .catch(rejectUnstorable);
      if (rows.length > 0) {
        const eventId = rows[0].id;
        // Redis down is not a lost event: it stays pending and the sweep queues it later.
        const queued = input.reviewable ? await this.reviewQueue.enqueue(eventId) : false;
        return { status: 'received', eventId, eventType, queued };
      }
      const [existing]: Array<{ id: string; by_delivery: boolean; recent: boolean }> = await this.db.query(FIND_CONFLICT, [
        input.deliveryId, input.installationId, input.prNumber, input.headSha, this.config.dedupeWindowMinutes, input.reviewable,
      ]);
      if (!existing) continue; // the conflicting event finished meanwhile: insert again
      if (existing.by_delivery || existing.recent) return { status: 'duplicate_skipped', eventId: existing.id };
      // Older than the dedupe window: that review is stale and must not block this one.
      await this.db.query(
        `UPDATE events SET status = 'superseded', updated_at = now(), error = 'Superseded by a new delivery after the dedupe window'
         WHERE id = $1 AND status IN ('pending', 'processing')`,
        [existing.id],
      );
    }
    throw new ServiceUnavailableException('The event could not be stored, try again');
  }

  /** Which of these X-GitHub-Delivery ids Nectr has stored, in any status. */
  async knownDeliveries(deliveryIds: string[]): Promise<Set<string>> {
    if (deliveryIds.length === 0) return new Set();
    const rows: Array<{ delivery_id: string }> = await this.db.query('SELECT DISTINCT delivery_id FROM events WHERE delivery_id = ANY($1)', [deliveryIds]);
    return new Set(rows.map((r) => r.delivery_id));
  }
}

/**
 * Valid JSON that Postgres's jsonb refuses (lone surrogates, numbers out of range, absurd nesting)
 * is the sender's problem: a 400, not a 500.
 */
function rejectUnstorable(error: unknown): never {
  const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (error as { code?: string }).code;
  if (code?.startsWith('22') || code === '54001') {
    throw new BadRequestException(`Webhook payload cannot be stored: ${(error as Error).message}`);
  }
  throw error;
}
