import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { InstallationsModule } from '../installations/installations.module.js';
import { WebhookMetricsMiddleware } from '../metrics/webhook-metrics.middleware.js';
import { WebhookSignatureGuard } from './webhook-signature.guard.js';
import { WebhooksController } from './webhooks.controller.js';

/** HTTP only: verification is asked of InstallationsService, storage of EventsService. */
@Module({
  imports: [EventsModule, InstallationsModule],
  controllers: [WebhooksController],
  providers: [WebhookSignatureGuard],
})
export class WebhooksModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(WebhookMetricsMiddleware).forRoutes(WebhooksController);
  }
}
