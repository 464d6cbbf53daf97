import { registerAs } from '@nestjs/config';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { assertConnectionUrl, ConfigError, validateEnv } from './validate-env.js';

class RedisEnv {
  @IsString({ message: 'REDIS_URL is required (redis://host:6379); `npm run local` starts a local Redis for you' })
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL: string = undefined as unknown as string;

  /** Key prefix for the queues; lets several deployments (or test runs) share one Redis. */
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/, { message: 'QUEUE_PREFIX may hold letters, digits, ":", "_" and "-" only' })
  QUEUE_PREFIX: string = 'nectr';

  /** How long a running job's lock lasts unrenewed: after a worker dies, its job is retried this much later. */
  @IsInt()
  @Min(1000)
  @Max(600_000)
  QUEUE_LOCK_MS: number = 30_000;
}

export const redisConfig = registerAs('redis', () => {
  const env = validateEnv(RedisEnv);
  const url = assertConnectionUrl('REDIS_URL', env.REDIS_URL, 'redis://user:pass@host:6379/0');
  if (!/^(\/\d{0,5})?$/.test(url.pathname)) {
    throw new ConfigError('Invalid configuration: REDIS_URL may end with a database number only (redis://host:6379/0)');
  }
  return { url: env.REDIS_URL, prefix: env.QUEUE_PREFIX, lockMs: env.QUEUE_LOCK_MS };
});
