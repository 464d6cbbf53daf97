import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { redisConfig } from '../config/index.js';
import { EventsModule } from '../events/events.module.js';
import { QueueSweeper } from './queue.sweeper.js';
import { REVIEW_BACKOFF, reviewBackoff } from './review-backoff.js';
import { REVIEW_QUEUE } from './review-queue.constants.js';
import { ReviewQueueService } from './review-queue.service.js';

/**
 * The queue, in every role: Bull's Redis connection, the review queue (registered once for every
 * module that needs it), enqueuing, and the sweep that puts lost jobs back. Relaying the outbox and
 * running jobs are QueueWorkerModule's, for the roles that review.
 */
@Global()
@Module({
  imports: [
    EventsModule,
    BullModule.forRootAsync({
      inject: [redisConfig.KEY],
      useFactory: (redis: ConfigType<typeof redisConfig>) => ({
        redis: {
          ...redisOptionsFromUrl(redis.url),
          // Reconnect quickly once Redis is back; Bull's default backs off up to 20 s.
          retryStrategy: (times: number) => Math.min(times * 200, 2000),
        },
        prefix: redis.prefix,
        // A job whose worker died (lock not renewed) is found stalled and run again. Review jobs
        // back off with a strategy that also honours GitHub's rate-limit reset.
        settings: {
          lockDuration: redis.lockMs,
          stalledInterval: redis.lockMs,
          maxStalledCount: 2,
          backoffStrategies: { [REVIEW_BACKOFF]: reviewBackoff },
        },
      }),
    }),
    BullModule.registerQueue({ name: REVIEW_QUEUE }),
  ],
  providers: [ReviewQueueService, QueueSweeper],
  exports: [BullModule, ReviewQueueService],
})
export class QueueModule {}

function redisOptionsFromUrl(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  };
}
