import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';
import { appEnv, requireInProduction, validateEnv } from './validate-env.js';

export type ProcessRole = 'api' | 'worker' | 'all';

class AppEnv {
  @IsInt() @Min(0) @Max(65535)
  PORT: number = 3000;

  @IsIn(['development', 'test', 'production'])
  APP_ENV: string = 'development';

  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  BACKEND_URL?: string = undefined;

  @IsOptional() @IsString() @MinLength(16, { message: 'API_TOKEN must be at least 16 characters' })
  API_TOKEN?: string = undefined;

  @IsIn(['api', 'worker', 'all'])
  PROCESS_ROLE: string = 'all';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Management API and /metrics requests per client address per minute (webhooks are not limited). */
  @IsInt() @Min(1) @Max(100_000)
  API_RATE_LIMIT_PER_MINUTE: number = 300;
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
  };
});
