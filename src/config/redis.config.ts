import { registerAs } from '@nestjs/config';
import { IsString, Matches } from 'class-validator';
import { validateEnv } from './validate-env.js';

class RedisEnv {
  @IsString({ message: 'REDIS_URL is required (redis://host:6379); `npm run local` starts a local Redis for you' })
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL: string = undefined as unknown as string;

  /** Key prefix for the queues; lets several deployments (or test runs) share one Redis. */
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/, { message: 'QUEUE_PREFIX may hold letters, digits, ":", "_" and "-" only' })
  QUEUE_PREFIX: string = 'nectr';
}

export const redisConfig = registerAs('redis', () => {
  const env = validateEnv(RedisEnv);
  return { url: env.REDIS_URL, prefix: env.QUEUE_PREFIX };
});
