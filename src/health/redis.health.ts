import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ReviewQueueService } from '../queue/review-queue.service.js';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly reviewQueue: ReviewQueueService,
  ) {}

  pingCheck(key: string) {
    return this.indicators
      .check(key)
      .attempt(() => this.reviewQueue.ping())
      .withTimeout(1500);
  }
}
