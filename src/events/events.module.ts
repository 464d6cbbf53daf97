import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Event } from './event.entity.js';
import { EventInsertBatcher } from './event-insert.batcher.js';
import { EventLifecycleService } from './event-lifecycle.service.js';
import { EventOutboxService } from './event-outbox.service.js';
import { EventStatsService } from './event-stats.service.js';
import { EventsService } from './events.service.js';
import { EventsSweepService } from './events-sweep.service.js';

/**
 * Events: the table, ingest with dedupe, status changes, the outbox and counts for summaries. The
 * only module that reads or writes the events tables (src/database/table-owners.spec.ts checks).
 * Knows nothing of queues or reviews; the queue module relays the outbox through EventOutboxService.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Event])],
  providers: [
    EventInsertBatcher,
    EventsService,
    EventLifecycleService,
    EventOutboxService,
    EventsSweepService,
    EventStatsService,
  ],
  exports: [EventsService, EventLifecycleService, EventOutboxService, EventsSweepService, EventStatsService],
})
export class EventsModule {}
