import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReviewQueueModule } from '../review/review-queue.module.js';
import { Event } from './event.entity.js';
import { EventInsertBatcher } from './event-insert.batcher.js';
import { EventLifecycleService } from './event-lifecycle.service.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';
import { EventsRelay } from './events.relay.js';
import { EventsSweeper } from './events.sweeper.js';

@Module({
  imports: [TypeOrmModule.forFeature([Event]), ReviewQueueModule],
  controllers: [EventsController],
  providers: [EventInsertBatcher, EventsService, EventLifecycleService, EventsRelay, EventsSweeper],
  exports: [EventsService, EventLifecycleService],
})
export class EventsModule {}
