import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { InstallationsModule } from '../installations/installations.module.js';
import { WebhookVerifier } from './webhook-verifier.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** HTTP only: verification is asked of InstallationsService, storage of EventsService. */
@Module({
  imports: [EventsModule, InstallationsModule],
  controllers: [WebhooksController],
  // The guard and filter are the controller's enhancers: Nest instantiates them in this module.
  providers: [WebhookVerifier, WebhooksService],
})
export class WebhooksModule {}
