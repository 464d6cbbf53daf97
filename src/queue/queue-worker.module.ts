import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventsModule } from '../events/events.module.js';
import { JobProcessorExplorer } from './job-processor.explorer.js';
import { OutboxRelay } from './outbox.relay.js';

/**
 * The queue's consumers, for the roles that review: the outbox relay and the explorer that starts
 * every @JobProcessor provider.
 */
@Module({
  imports: [DiscoveryModule, EventsModule],
  providers: [OutboxRelay, JobProcessorExplorer],
})
export class QueueWorkerModule {}
