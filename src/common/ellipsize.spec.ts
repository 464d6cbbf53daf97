import { describe, expect, it } from '@jest/globals';
import { ellipsize } from './ellipsize.js';

describe('ellipsize', () => {
  it('keeps the first units and adds …', () => {
    expect(ellipsize('abcdef', 3)).toBe('abc…');
  });

  it('never keeps half of an emoji', () => {
    // 🚫 is two UTF-16 units, at 2 and 3: a cut after 3 units would keep its first half.
    expect(ellipsize('ab🚫cd', 3)).toBe('ab…');
    expect(ellipsize('ab🚫cd', 4)).toBe('ab🚫…');
    expect(ellipsize('ab🚫cd', 2)).toBe('ab…');
  });
});
