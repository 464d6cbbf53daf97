import { describe, expect, it } from '@jest/globals';
import { jsonNestsDeeperThan } from './json-depth.js';

describe('jsonNestsDeeperThan', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(jsonNestsDeeperThan('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(jsonNestsDeeperThan('{"a":"[[[[[[[[{{{{{{"}', 1)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":"\\"[[[[["}', 1)).toBe(false);
  });

  it('tells many shallow brackets from deep ones', () => {
    expect(jsonNestsDeeperThan(Buffer.from('[' + '{"a":[]},'.repeat(1000) + '{}]'), 3)).toBe(false);
    expect(jsonNestsDeeperThan(Buffer.from('[' + '{"a":[]},'.repeat(1000) + '{"a":[[]]}]'), 3)).toBe(true);
  });

  it('handles 100 000 levels without recursion', () => {
    expect(jsonNestsDeeperThan('['.repeat(100_000) + ']'.repeat(100_000), 64)).toBe(true);
  });
});
