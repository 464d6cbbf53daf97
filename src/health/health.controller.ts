import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { RedisHealthIndicator } from './redis.health.js';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  /** 200 with database and Redis up; 503 naming what is down. Open: load balancers call it. */
  @Get()
  @ApiResponse({ status: 200, description: 'Database and Redis up' })
  @ApiResponse({ status: 503, description: 'The message names what is down' })
  async check() {
    try {
      return await this.health.check([
        () => this.db.pingCheck('database').withTimeout(1500),
        () => this.redis.pingCheck('redis'),
      ]);
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
