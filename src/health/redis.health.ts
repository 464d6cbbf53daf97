import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Queue } from 'bull';
import { REVIEW_QUEUE } from '../review/review.constants.js';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @InjectQueue(REVIEW_QUEUE) private readonly queue: Queue,
  ) {}

  pingCheck(key: string) {
    return this.indicators
      .check(key)
      .attempt(async () => {
        // ioredis queues commands while disconnected; a ping that is not answered quickly means down.
        if (this.queue.client.status !== 'ready') throw new Error(`connection ${this.queue.client.status}`);
        await this.queue.client.ping();
      })
      .withTimeout(1500);
  }
}
