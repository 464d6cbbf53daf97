import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { InstallationsModule } from '../installations/installations.module.js';
import { WebhookHandler } from './webhook.handler.js';
import { WebhookVerifier } from './webhook-verifier.js';

/** HTTP only: verification is asked of InstallationsService, storage of EventsService. */
@Module({
  imports: [EventsModule, InstallationsModule],
  providers: [WebhookVerifier, WebhookHandler],
  exports: [WebhookHandler],
})
export class WebhooksModule {}
