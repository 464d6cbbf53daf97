import { Global, Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { GITHUB_OBSERVER } from '../github/github.module.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

@Global()
@Module({
  imports: [EventsModule],
  controllers: [MetricsController],
  // The GitHub clients report every answer here (GithubModule injects the observer).
  providers: [MetricsService, { provide: GITHUB_OBSERVER, useExisting: MetricsService }],
  exports: [MetricsService, GITHUB_OBSERVER],
})
export class MetricsModule {}
