import { describe, expect, it } from '@jest/globals';
import { InflightBudget } from './inflight-budget.js';

describe('InflightBudget', () => {
  it('refuses what does not fit, grows holds within the limit and gives each byte back once', () => {
    const budget = new InflightBudget(100);
    const a = budget.reserve(60)!;
    expect(budget.reserve(50)).toBeNull();
    const b = budget.reserve(0)!;
    expect(b.grow(40)).toBe(true);
    expect(b.grow(1)).toBe(false);
    expect(budget.inUse).toBe(100);
    a.release();
    a.release();
    expect(budget.inUse).toBe(40);
    b.release();
    expect(budget.inUse).toBe(0);
  });

  it('keeps the room above a ceiling for reservations made without it', () => {
    const budget = new InflightBudget(100);
    expect(budget.reserve(80, 90)).not.toBeNull();
    expect(budget.reserve(20, 90)).toBeNull();
    expect(budget.reserve(20)).not.toBeNull();
  });

  it('says when it drains, with the most it held since it last did', () => {
    const drained: number[] = [];
    const budget = new InflightBudget(100, (peak) => drained.push(peak));
    const a = budget.reserve(30)!;
    const b = budget.reserve(0)!;
    b.grow(50);
    a.release();
    expect(drained).toEqual([]);
    b.release();
    budget.reserve(10)!.release();
    expect(drained).toEqual([80, 10]);
  });
});
