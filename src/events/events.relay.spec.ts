import { afterEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { ProcessRole } from '../config/app.config.js';
import type { ReviewQueueService } from '../review/review-queue.service.js';
import { EventsRelay } from './events.relay.js';

/** An outbox in memory behind the two statements the relay sends, and a queue that may refuse. */
function harness(role: ProcessRole) {
  const outbox: string[] = [];
  const queued: string[] = [];
  let statements = 0;
  let redisUp = true;
  const db = {
    query: (sql: string, params: unknown[]) => {
      statements++;
      if (sql.includes('DELETE FROM event_outbox')) {
        // An id starting with "old" stands for an event a newer head in the batch superseded.
        return Promise.resolve(
          outbox.splice(0, params[0] as number).map((event_id) => ({ event_id, queue: !event_id.startsWith('old') })),
        );
      }
      outbox.push(...(params[0] as string[])); // the re-insert after Redis refused
      return Promise.resolve([]);
    },
  } as unknown as DataSource;
  const queue = {
    enqueue: (ids: string[]) => {
      if (!redisUp) return Promise.resolve(false);
      queued.push(...ids);
      return Promise.resolve(true);
    },
  } as unknown as ReviewQueueService;
  const relay = new EventsRelay(db, queue, { role } as never);
  return {
    relay,
    outbox,
    queued,
    statements: () => statements,
    setRedis: (up: boolean) => (redisUp = up),
  };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const relays: EventsRelay[] = [];
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.onApplicationShutdown()));
});

describe('EventsRelay', () => {
  it('in an api process never takes from the outbox: workers do', async () => {
    const h = harness('api');
    relays.push(h.relay);
    h.outbox.push('a', 'b');
    h.relay.onApplicationBootstrap();
    h.relay.kick();
    await sleep(250);
    expect(h.statements()).toBe(0);
    expect(h.outbox).toEqual(['a', 'b']);
  });

  it('in a worker process polls the outbox, so events another process stored are queued', async () => {
    const h = harness('worker');
    relays.push(h.relay);
    h.relay.onApplicationBootstrap();
    await sleep(30);
    expect(h.statements()).toBe(1); // the outbox was empty at boot
    h.outbox.push('a', 'b'); // stored by an api process: no kick here
    await sleep(250);
    expect(h.queued).toEqual(['a', 'b']);
    expect(h.outbox).toEqual([]);
  });

  it('relays at once on a kick, without waiting for the poll', async () => {
    const h = harness('all');
    relays.push(h.relay);
    h.relay.onApplicationBootstrap();
    await sleep(30);
    h.outbox.push('a');
    h.relay.kick();
    await sleep(30);
    expect(h.queued).toEqual(['a']);
  });

  it('queues no job for a taken event that a newer head superseded, nor puts it back when Redis refuses', async () => {
    const h = harness('all');
    relays.push(h.relay);
    h.outbox.push('old-a', 'b');
    h.setRedis(false);
    h.relay.onApplicationBootstrap();
    await sleep(50);
    expect(h.outbox).toEqual(['b']);
    h.setRedis(true);
    await sleep(1000);
    expect(h.queued).toEqual(['b']);
  });

  it('puts a batch Redis refused back in the outbox and queues it once Redis is back', async () => {
    const h = harness('worker');
    relays.push(h.relay);
    h.setRedis(false);
    h.outbox.push('a', 'b');
    h.relay.onApplicationBootstrap();
    await sleep(50);
    expect(h.queued).toEqual([]);
    expect(h.outbox).toEqual(['a', 'b']);
    const afterFailure = h.statements();
    await sleep(300);
    expect(h.statements()).toBe(afterFailure); // backs off instead of polling a dead Redis
    h.setRedis(true);
    await sleep(1000);
    expect(h.queued).toEqual(['a', 'b']);
    expect(h.outbox).toEqual([]);
  });

  it('stops polling on shutdown', async () => {
    const h = harness('worker');
    h.relay.onApplicationBootstrap();
    await sleep(30);
    await h.relay.onApplicationShutdown();
    const stopped = h.statements();
    h.outbox.push('a');
    await sleep(250);
    expect(h.statements()).toBe(stopped);
    expect(h.queued).toEqual([]);
  });
});
