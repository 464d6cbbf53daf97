import { describe, expect, it } from '@jest/globals';
import { LruMap } from './lru-map.js';

describe('LruMap', () => {
  it('holds at most its capacity, dropping the least recently used', () => {
    const map = new LruMap<string, number>(3);
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    expect(map.get('a')).toBe(1); // a is now the most recent; b the oldest
    map.set('d', 4);
    expect(map.size).toBe(3);
    expect(map.get('b')).toBeUndefined();
    expect([map.get('a'), map.get('c'), map.get('d')]).toEqual([1, 3, 4]);
  });

  it('keeps every other entry when the capacity is reached, instead of starting over', () => {
    const map = new LruMap<number, number>(1000);
    for (let i = 0; i < 5000; i++) map.set(i, i);
    expect(map.size).toBe(1000);
    expect(map.get(3999)).toBeUndefined();
    expect([map.get(4000), map.get(4999)]).toEqual([4000, 4999]);
  });

  it('replaces a value without growing, and forgets a deleted key', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('a', 2);
    expect(map.size).toBe(1);
    expect(map.get('a')).toBe(2);
    map.delete('a');
    expect(map.get('a')).toBeUndefined();
    expect(map.size).toBe(0);
  });
});
