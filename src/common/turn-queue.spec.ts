import { describe, expect, it } from '@jest/globals';
import { TurnQueue } from './turn-queue.js';

// Each test waits with queue.next() (its turn comes after everything pushed before it), not a timer:
// on a busy machine a 20 ms timer could fire before the queue had run.
describe('TurnQueue', () => {
  it('runs items in the order they came, each later than the push', async () => {
    const queue = new TurnQueue();
    const ran: number[] = [];
    for (const n of [1, 2, 3]) queue.push(() => ran.push(n));
    expect(ran).toEqual([]);
    await queue.next(); // resolves after everything pushed before it
    expect(ran).toEqual([1, 2, 3]);
  });

  it('lets a timer that came due run between two items', async () => {
    const queue = new TurnQueue();
    const ran: string[] = [];
    queue.push(() => {
      ran.push('first');
      setTimeout(() => ran.push('timer'), 0);
      const until = Date.now() + 5; // the timer is due before the second item
      while (Date.now() < until);
    });
    queue.push(() => ran.push('second'));
    await queue.next(); // resolves after everything pushed before it
    expect(ran).toEqual(['first', 'timer', 'second']);
  });

  it('takes work again once it ran empty', async () => {
    const queue = new TurnQueue();
    const ran: string[] = [];
    queue.push(() => ran.push('first'));
    await queue.next(); // resolves after everything pushed before it
    queue.push(() => ran.push('again'));
    await queue.next(); // resolves after everything pushed before it
    expect(ran).toEqual(['first', 'again']);
  });
});
