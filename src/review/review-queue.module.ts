import { Module } from '@nestjs/common';
import { ReviewQueueService } from './review-queue.service.js';

/** Enqueuing only: the events module uses it without depending on the review processor. */
@Module({
  providers: [ReviewQueueService],
  exports: [ReviewQueueService],
})
export class ReviewQueueModule {}
