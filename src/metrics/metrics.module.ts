import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { WebhookMetricsMiddleware } from './webhook-metrics.middleware.js';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, WebhookMetricsMiddleware],
  exports: [MetricsService, WebhookMetricsMiddleware],
})
export class MetricsModule {}
