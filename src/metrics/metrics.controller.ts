import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiTokenGuard } from '../sessions/api-token.guard.js';
import { ApiErrors } from '../docs/api-errors.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('metrics')
@UseGuards(ApiTokenGuard)
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format', schema: { type: 'string' } })
  @ApiErrors(401, 429)
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
