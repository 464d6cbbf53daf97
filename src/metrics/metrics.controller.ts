import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiTokenGuard } from '../common/api-token.guard.js';
import { MetricsService } from './metrics.service.js';

@Controller('metrics')
@UseGuards(ApiTokenGuard)
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
