import { describe, expect, it } from '@jest/globals';
import { TurnQueue } from './turn-queue.js';

const drained = () => new Promise((done) => setTimeout(done, 20));

describe('TurnQueue', () => {
  it('runs items in the order they came, each later than the push', async () => {
    const queue = new TurnQueue();
    const ran: number[] = [];
    for (const n of [1, 2, 3]) queue.push(() => ran.push(n));
    expect(ran).toEqual([]);
    await drained();
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
    await drained();
    expect(ran).toEqual(['first', 'timer', 'second']);
  });

  it('takes work again once it ran empty', async () => {
    const queue = new TurnQueue();
    const ran: string[] = [];
    queue.push(() => ran.push('first'));
    await drained();
    queue.push(() => ran.push('again'));
    await drained();
    expect(ran).toEqual(['first', 'again']);
  });
});
