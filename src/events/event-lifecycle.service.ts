import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { Event } from './event.entity.js';
import { EventStatus } from './event-status.js';
import { backToOutbox, EventsRelay } from './events.relay.js';

const UNIQUE_VIOLATION = '23505';
const MAX_ERROR_LENGTH = 2000;
const RETRY = backToOutbox(`UPDATE events SET status = 'pending', processed_at = NULL, updated_at = now() WHERE id = $1 AND status = 'failed'`);

/** Status changes of an event as its review runs; each one guarded by the status it leaves. */
@Injectable()
export class EventLifecycleService {
  constructor(
    @InjectRepository(Event) private readonly events: Repository<Event>,
    private readonly relay: EventsRelay,
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

  /** Whether a later delivery of the same pull request carries another head. */
  async hasNewerHead(event: Event): Promise<boolean> {
    return this.events
      .createQueryBuilder('e')
      .where('e.installation_id = :installationId AND e.pr_number = :prNumber AND e.head_sha <> :headSha AND e.created_at > :createdAt', event)
      .andWhere(`e.github_event = 'pull_request'`)
      .getExists();
  }

  async complete(id: string, reviewUrl: string | null): Promise<void> {
    await this.events.update({ id, status: EventStatus.Processing }, { status: EventStatus.Completed, reviewUrl, error: null, processedAt: new Date() });
  }

  async fail(id: string, error: string): Promise<void> {
    await this.events.update({ id, status: EventStatus.Processing }, { status: EventStatus.Failed, error: error.slice(0, MAX_ERROR_LENGTH), processedAt: new Date() });
  }

  /** Keeps the latest error visible while attempts remain. */
  async recordError(id: string, error: string): Promise<void> {
    await this.events.update({ id, status: EventStatus.Processing }, { error: error.slice(0, MAX_ERROR_LENGTH) });
  }

  async supersede(id: string, reason: string): Promise<void> {
    await this.events.update({ id, status: In([EventStatus.Pending, EventStatus.Processing]) }, { status: EventStatus.Superseded, error: reason, processedAt: new Date() });
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
    this.relay.kick();
    return (await this.events.findOne({ where: { id } }))!;
  }
}
