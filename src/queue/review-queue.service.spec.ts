import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { getQueueToken } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EventEmitter } from 'node:events';
import { reviewConfig } from '../config/index.js';
import { REDIS_DOWN_LOG_INTERVAL_MS, ReviewQueueService } from './review-queue.service.js';
import { REVIEW_QUEUE } from './review-queue.constants.js';

/** Bull's queue as the service sees it: its 'error' events and its client's connection status. */
class FakeQueue extends EventEmitter {
  client = { status: 'ready' };
}

async function service(queue: FakeQueue) {
  const moduleRef = await Test.createTestingModule({
    providers: [
      ReviewQueueService,
      { provide: getQueueToken(REVIEW_QUEUE), useValue: queue },
      { provide: reviewConfig.KEY, useValue: {} },
    ],
  }).compile();
  moduleRef.get(ReviewQueueService).onModuleInit();
}

describe("ReviewQueueService's log of Bull's errors", () => {
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('says Redis cannot be reached only while it cannot, once a minute; other errors as they are', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const queue = new FakeQueue();
    await service(queue);

    queue.client.status = 'reconnecting';
    queue.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    queue.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    expect(warn.mock.calls.map(([message]) => message)).toEqual([
      'Cannot use Redis (REDIS_URL), retrying: connect ECONNREFUSED 127.0.0.1:6379',
    ]);

    jest.setSystemTime(1_000_000 + REDIS_DOWN_LOG_INTERVAL_MS);
    queue.client.status = 'ready';
    queue.emit('error', new Error('OOM command not allowed when used memory > maxmemory'));
    expect(warn.mock.calls.at(-1)?.[0]).toBe(
      'Review queue error: OOM command not allowed when used memory > maxmemory',
    );
    // A run whose job another worker finished: said each time, and not counted against the minute.
    queue.emit('error', new Error('Missing lock for job 12. failed'));
    expect(warn.mock.calls.at(-1)?.[0]).toBe(
      'A review job this process ran was already settled by another run: Missing lock for job 12. failed',
    );
    expect(warn).toHaveBeenCalledTimes(3);
  });
});
