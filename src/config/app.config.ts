import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';
import { parseTrustProxy } from './trust-proxy.js';
import { appEnv, requireInProduction, validateEnv } from './validate-env.js';

export type ProcessRole = 'api' | 'worker' | 'all';

class AppEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsIn(['development', 'test', 'production'])
  APP_ENV: string = 'development';

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  BACKEND_URL?: string = undefined;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'API_TOKEN must be at least 16 characters' })
  API_TOKEN?: string = undefined;

  @IsIn(['api', 'worker', 'all'])
  PROCESS_ROLE: string = 'all';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /**
   * How long an idle kept-alive connection stays open. Longer than a load balancer keeps its idle
   * connections to Nectr (AWS ALB and nginx: 60 s), or it may send a delivery on one Nectr has just
   * closed and answer GitHub 502. Node's default is 5 s.
   */
  @IsInt()
  @Min(1)
  @Max(3600)
  HTTP_KEEP_ALIVE_SECONDS: number = 65;

  /** Management API and /metrics requests per client address per minute (webhooks are not limited). */
  @IsInt()
  @Min(1)
  @Max(100_000)
  API_RATE_LIMIT_PER_MINUTE: number = 300;

  /** Peers whose X-Forwarded-For / -Proto are believed: parseTrustProxy. */
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string = undefined;
}

export const appConfig = registerAs('app', () => {
  const env = validateEnv(AppEnv);
  requireInProduction('API_TOKEN', env.API_TOKEN);
  return {
    port: env.PORT,
    env: appEnv(),
    backendUrl: (env.BACKEND_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    apiToken: env.API_TOKEN,
    role: env.PROCESS_ROLE as ProcessRole,
    logLevel: env.LOG_LEVEL,
    rateLimitPerMinute: env.API_RATE_LIMIT_PER_MINUTE,
    keepAliveMs: env.HTTP_KEEP_ALIVE_SECONDS * 1000,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
  };
});
