import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator, type HealthIndicatorFunction } from '@nestjs/terminus';
import { RedisHealthIndicator } from './redis.health.js';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  /** 200 with database and Redis up; 503 naming what is down. Open: monitoring calls it. */
  @Get()
  @ApiResponse({ status: 200, description: 'Database and Redis up' })
  @ApiResponse({ status: 503, description: 'The message names what is down' })
  check() {
    return this.run([this.database, () => this.redis.pingCheck('redis')]);
  }

  /**
   * Whether this process can take webhooks: the database only. An `api` process stores deliveries
   * without Redis (the outbox waits for it), so a load balancer that checked `/health` would take
   * every one out during a Redis outage and GitHub's deliveries would fail.
   */
  @Get('webhooks')
  @ApiResponse({ status: 200, description: 'Database up: deliveries are stored' })
  @ApiResponse({ status: 503, description: 'Unavailable: database down' })
  checkWebhooks() {
    return this.run([this.database]);
  }

  private readonly database: HealthIndicatorFunction = () => this.db.pingCheck('database').withTimeout(1500);

  private async run(indicators: HealthIndicatorFunction[]) {
    try {
      return await this.health.check(indicators);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as { error?: Record<string, unknown>; info?: Record<string, unknown> };
      const down = Object.keys(result.error ?? {});
      throw new ServiceUnavailableException({
        message: `Unavailable: ${down.join(', ')} down`,
        status: 'error',
        info: result.info,
        error: result.error,
      });
    }
  }
}
