import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { deliveryFactory, signedDeliveries, type Delivery } from './deliveries.js';
import { PR_BASE } from './settings.js';

// A delivery whose body names its index, made by a counting factory.
const made: number[] = [];
const make = (i: number) => {
  made.push(i);
  const delivery: Delivery = { headers: { 'X-GitHub-Delivery': `d-${i}` }, body: Buffer.from(String(i)) };
  return { number: 1000 + i, sha: String(i).padStart(40, '0'), delivery };
};
const index = (d: Delivery) => Number(d.body.toString());

describe('signedDeliveries', () => {
  beforeEach(() => {
    made.length = 0;
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('makes `count` bodies up front and registers each PR', () => {
    const pulls: number[] = [];
    const deliveries = signedDeliveries(make, 5, (_i, number) => pulls.push(number));
    expect(made).toEqual([0, 1, 2, 3, 4]);
    expect(pulls).toEqual([1000, 1001, 1002, 1003, 1004]);
    expect(deliveries.ahead()).toBe(5);
  });

  it('hands each body out once, and signs past the pool on the fly, counted', () => {
    const deliveries = signedDeliveries(make, 3, () => undefined);
    const out = Array.from({ length: 5 }, () => index(deliveries.distinct()));
    expect(out).toEqual([0, 1, 2, 3, 4]);
    expect(deliveries.signedOnTheFly()).toBe(2);
    expect(deliveries.ahead()).toBe(0);
  });

  it('refill tops up to `ahead` bodies not yet handed out, continuing the sequence, and drops those sent', () => {
    const deliveries = signedDeliveries(make, 4, () => undefined);
    for (let i = 0; i < 3; i++) deliveries.distinct(); // 0, 1, 2 sent; 3 left
    expect(deliveries.refill(6)).toBe(5); // 4..8 made
    expect(deliveries.ahead()).toBe(6);
    const out = Array.from({ length: 6 }, () => index(deliveries.distinct()));
    expect(out).toEqual([3, 4, 5, 6, 7, 8]);
    expect(deliveries.signedOnTheFly()).toBe(0);
    // The floor's cycle runs over what the pool holds now, not over bodies already dropped.
    const cycled = new Set(Array.from({ length: 12 }, () => index(deliveries.cycling())));
    expect(cycled).toEqual(new Set([3, 4, 5, 6, 7, 8]));
  });

  it('refill makes nothing when enough are ahead', () => {
    const deliveries = signedDeliveries(make, 4, () => undefined);
    deliveries.distinct();
    expect(deliveries.refill(3)).toBe(0);
    expect(made).toHaveLength(4);
  });

  it('keeps numbering distinct after on-the-fly bodies and a refill', () => {
    const deliveries = signedDeliveries(make, 1, () => undefined);
    deliveries.distinct();
    deliveries.distinct(); // on the fly: 1
    deliveries.refill(2); // 2, 3
    expect([index(deliveries.distinct()), index(deliveries.distinct())]).toEqual([2, 3]);
    expect(new Set(made).size).toBe(made.length);
  });
});

describe('deliveryFactory', () => {
  const make = deliveryFactory('run1', 'shh', 42);

  it('signs each body with the secret and names it by its index', () => {
    const { number, sha, delivery } = make(7);
    const { headers, body } = delivery;
    expect(headers['X-Hub-Signature-256']).toBe(`sha256=${createHmac('sha256', 'shh').update(body).digest('hex')}`);
    expect(headers['X-GitHub-Delivery']).toBe('bench-run1-7');
    expect(headers['X-GitHub-Hook-ID']).toBe('42');
    expect(headers['X-GitHub-Event']).toBe('pull_request');
    const payload = JSON.parse(body.toString('utf8')) as {
      action: string;
      number: number;
      pull_request: { number: number; head: { sha: string } };
    };
    expect(payload.action).toBe('opened');
    expect(number).toBe(PR_BASE + 7);
    expect(payload.number).toBe(number);
    expect(payload.pull_request.number).toBe(number);
    expect(payload.pull_request.head.sha).toBe(sha);
  });

  it('keeps many bodies in one buffer, each its own bytes, and each header set a new object', () => {
    const made = Array.from({ length: 200 }, (_, i) => make(i).delivery);
    expect(new Set(made.map((d) => d.body.buffer)).size).toBe(1);
    for (const [i, d] of made.entries()) {
      const payload = JSON.parse(d.body.toString('utf8')) as { number: number };
      expect(payload.number).toBe(PR_BASE + i);
      expect(d.headers['X-Hub-Signature-256']).toBe(
        `sha256=${createHmac('sha256', 'shh').update(d.body).digest('hex')}`,
      );
    }
    expect(made[0].headers).not.toBe(made[0].headers);
  });
});
