import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Event } from './event.entity.js';
import { EventsController } from './events.controller.js';
import { EventsModule } from './events.module.js';

/** The events API (management), for the roles that serve it. */
@Module({
  imports: [EventsModule, TypeOrmModule.forFeature([Event])],
  controllers: [EventsController],
})
export class EventsApiModule {}
