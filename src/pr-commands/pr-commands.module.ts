import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module.js';
import { PrCommandsService } from './pr-commands.service.js';
import { PullRequestPause } from './pull-request-pause.entity.js';

/** `/nectr` commands in pull-request comments (REVIEW.md §4); pr-command.ts decides what is one. */
@Module({
  imports: [TypeOrmModule.forFeature([PullRequestPause]), EventsModule],
  providers: [PrCommandsService],
  exports: [PrCommandsService],
})
export class PrCommandsModule {}
