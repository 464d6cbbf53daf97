import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { validateEnv } from './validate-env.js';

/** The webhook intake's limits: what an unauthenticated sender can make Nectr hold or do. */
class WebhooksEnv {
  /**
   * `on` serves the webhook route from a node:http listener ahead of express, derived from the
   * controller's metadata and running the same guard and handler; `off` leaves it to Nest's router.
   */
  @IsIn(['on', 'off'])
  WEBHOOK_FAST_PATH: string = 'on';

  /** Bytes of not-yet-verified bodies held at once across all requests; past it, 503 + Retry-After. */
  @IsInt()
  @Min(1)
  @Max(4096)
  WEBHOOK_UNVERIFIED_BUDGET_MB: number = 256;

  /** A body must keep arriving at this rate (after a 5 s grace) or the request is cut off. */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  WEBHOOK_MIN_KB_PER_SECOND: number = 64;

  /** Open connections at most; past it, idle connections are closed to make room, else the new one. */
  @IsInt()
  @Min(16)
  @Max(1_000_000)
  HTTP_MAX_CONNECTIONS: number = 8000;
}

export const webhooksConfig = registerAs('webhooks', () => {
  const env = validateEnv(WebhooksEnv);
  return {
    fastPath: env.WEBHOOK_FAST_PATH === 'on',
    unverifiedBudgetBytes: env.WEBHOOK_UNVERIFIED_BUDGET_MB * 1024 * 1024,
    minBytesPerSecond: env.WEBHOOK_MIN_KB_PER_SECOND * 1024,
    maxConnections: env.HTTP_MAX_CONNECTIONS,
  };
});
