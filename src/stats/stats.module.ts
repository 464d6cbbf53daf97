import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { StatsController } from './stats.controller.js';
import { StatsService } from './stats.service.js';

@Module({
  imports: [EventsModule],
  controllers: [StatsController],
  providers: [StatsService],
})
export class StatsModule {}
