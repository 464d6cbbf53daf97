import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { EventStatus } from './event-status.js';
import { decodePayload } from './payload-codec.js';

// Deduplication lives in partial unique indexes (see the CreateEvents migration):
//  - one received/pending/processing event per X-GitHub-Delivery;
//  - one pending/processing event per installation + PR number + head SHA.
@Entity('events')
export class Event {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'installation_id', type: 'uuid' })
  installationId: string;

  /** owner/name when the event arrived. */
  @Column({ type: 'varchar', length: 140 })
  repo: string;

  @Column({ name: 'delivery_id', type: 'varchar', length: 100 })
  deliveryId: string;

  @Column({ name: 'github_event', type: 'varchar', length: 64 })
  githubEvent: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  action: string | null;

  /** `<action>_<event>` or `<event>`, as the webhook answer names it. */
  @Column({ name: 'event_type', type: 'varchar', length: 130 })
  eventType: string;

  @Column({ name: 'pr_number', type: 'integer', nullable: true })
  prNumber: number | null;

  @Column({ name: 'head_sha', type: 'varchar', length: 64, nullable: true })
  headSha: string | null;

  /** The head a `/nectr review` reviewed (its event has no `headSha` of its own). */
  @Column({ name: 'reviewed_head_sha', type: 'varchar', length: 64, nullable: true })
  reviewedHeadSha: string | null;

  /** What this event's review could find: `findingScope` of the `.nectr.yml` it ran under, or `summary-only`. */
  @Column({ name: 'reviewed_scope', type: 'varchar', length: 64, nullable: true })
  reviewedScope: string | null;

  /** pull_request.updated_at: orders deliveries of one PR that arrive out of order. */
  @Column({ name: 'pr_updated_at', type: 'timestamptz', nullable: true })
  prUpdatedAt: Date | null;

  @Column({ type: 'varchar', length: 16 })
  status: EventStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'review_url', type: 'text', nullable: true })
  reviewUrl: string | null;

  /** Why the event ended as it did when no review shows it, e.g. `No new findings since abc1234`. */
  @Column({ type: 'text', nullable: true })
  note: string | null;

  /** Stored LZ4-compressed (payload-codec.ts); read back as the JSON GitHub delivered. */
  @Column({
    type: 'bytea',
    select: false,
    transformer: { to: (value: unknown) => value, from: (stored: Buffer | null) => stored && decodePayload(stored) },
  })
  payload: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  /** Set while a run of the review job posts the review (EventLifecycleService.startPosting). */
  @Column({ name: 'posting_since', type: 'timestamptz', nullable: true, select: false })
  postingSince?: Date | null;

  /** The startPosting call holding the lease (see the PostingLeaseHolder migration). */
  @Column({ name: 'posting_by', type: 'uuid', nullable: true, select: false })
  postingBy?: string | null;

  /** When the event last gave its posting lease back (see the PostingEndedAt migration). */
  @Column({ name: 'posting_ended_at', type: 'timestamptz', nullable: true, select: false })
  postingEndedAt?: Date | null;
}
