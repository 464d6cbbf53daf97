import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { GarbageCollectionHint } from './collect-garbage.js';

describe('GarbageCollectionHint', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('asks for one incremental full collection after the delay, however often it is called meanwhile', () => {
    jest.useFakeTimers();
    const gc = jest.fn<(options: NodeJS.GCOptions) => void>();
    const hint = new GarbageCollectionHint(1000, gc);
    hint.soon();
    hint.soon();
    jest.advanceTimersByTime(999);
    expect(gc).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    hint.soon();
    jest.advanceTimersByTime(1000);
    expect(gc.mock.calls).toEqual([[{ type: 'major', execution: 'async' }], [{ type: 'major', execution: 'async' }]]);
  });

  it('does nothing when node runs without --expose-gc', () => {
    jest.useFakeTimers();
    const hint = new GarbageCollectionHint(0, undefined);
    expect(() => hint.soon()).not.toThrow();
    expect(jest.getTimerCount()).toBe(0); // not even a timer is set
  });
});
