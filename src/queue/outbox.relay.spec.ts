import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { EventOutboxService, type TakenEntry } from '../events/event-outbox.service.js';
import { OutboxRelay } from './outbox.relay.js';
import { ReviewQueueService } from './review-queue.service.js';

/** An outbox in memory behind EventOutboxService's methods, and a queue that may refuse. */
async function harness() {
  const outbox: string[] = [];
  const queued: string[] = [];
  const listeners: Array<() => void> = [];
  let statements = 0;
  let redisUp = true;
  const fakeOutbox: Pick<EventOutboxService, 'onNew' | 'notify' | 'take' | 'putBack'> = {
    onNew: (listener) => void listeners.push(listener),
    notify: () => listeners.forEach((listener) => listener()),
    take: (limit): Promise<TakenEntry[]> => {
      statements++;
      // An id starting with "old" stands for an event a newer head in the batch superseded.
      return Promise.resolve(
        outbox.splice(0, limit).map((event_id) => ({ event_id, queue: !event_id.startsWith('old') })),
      );
    },
    putBack: (ids) => {
      statements++;
      outbox.push(...ids);
      return Promise.resolve();
    },
  };
  const fakeQueue: Pick<ReviewQueueService, 'enqueue'> = {
    enqueue: (ids) => {
      if (!redisUp) return Promise.resolve(false);
      queued.push(...ids);
      return Promise.resolve(true);
    },
  };
  const moduleRef = await Test.createTestingModule({
    providers: [
      OutboxRelay,
      { provide: EventOutboxService, useValue: fakeOutbox },
      { provide: ReviewQueueService, useValue: fakeQueue },
    ],
  }).compile();
  const relay = moduleRef.get(OutboxRelay);
  relays.push(relay);
  return {
    relay,
    outbox,
    queued,
    notify: () => fakeOutbox.notify(),
    statements: () => statements,
    setRedis: (up: boolean) => (redisUp = up),
  };
}

const advance = (ms: number) => jest.advanceTimersByTimeAsync(ms);
const relays: OutboxRelay[] = [];
beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.onApplicationShutdown()));
  jest.useRealTimers();
});

describe('OutboxRelay', () => {
  it('polls the outbox, so events another process stored are queued', async () => {
    const h = await harness();
    h.relay.onApplicationBootstrap();
    await advance(30);
    expect(h.statements()).toBe(1); // the outbox was empty at boot
    h.outbox.push('a', 'b'); // stored by an api process: no notice here
    await advance(250);
    expect(h.queued).toEqual(['a', 'b']);
    expect(h.outbox).toEqual([]);
  });

  it('relays at once when the outbox says entries came, without waiting for the poll', async () => {
    const h = await harness();
    h.relay.onApplicationBootstrap();
    await advance(30);
    h.outbox.push('a');
    h.notify();
    await advance(10);
    expect(h.queued).toEqual(['a']);
  });

  it('queues no job for a taken event that a newer head superseded, nor puts it back when Redis refuses', async () => {
    const h = await harness();
    h.outbox.push('old-a', 'b');
    h.setRedis(false);
    h.relay.onApplicationBootstrap();
    await advance(50);
    expect(h.outbox).toEqual(['b']);
    h.setRedis(true);
    await advance(1000);
    expect(h.queued).toEqual(['b']);
  });

  it('puts a batch Redis refused back in the outbox and queues it once Redis is back', async () => {
    const h = await harness();
    h.setRedis(false);
    h.outbox.push('a', 'b');
    h.relay.onApplicationBootstrap();
    await advance(50);
    expect(h.queued).toEqual([]);
    expect(h.outbox).toEqual(['a', 'b']);
    const afterFailure = h.statements();
    await advance(300);
    expect(h.statements()).toBe(afterFailure); // backs off instead of polling a dead Redis
    h.setRedis(true);
    await advance(1000);
    expect(h.queued).toEqual(['a', 'b']);
    expect(h.outbox).toEqual([]);
  });

  it('stops polling on shutdown', async () => {
    const h = await harness();
    h.relay.onApplicationBootstrap();
    await advance(30);
    await h.relay.onApplicationShutdown();
    const stopped = h.statements();
    h.outbox.push('a');
    await advance(250);
    expect(h.statements()).toBe(stopped);
    expect(h.queued).toEqual([]);
  });
});
