import { describe, expect, it } from '@jest/globals';
import { deleteInBatches } from './delete-in-batches.js';

/** A table of `rows` rows, deleted `size` at a time; `sizes` records each statement's size. */
function table(rows: number) {
  const sizes: number[] = [];
  const deleteBatch = (size: number) => {
    sizes.push(size);
    const deleted = Math.min(size, rows);
    rows -= deleted;
    return Promise.resolve(deleted);
  };
  return { deleteBatch, sizes, left: () => rows };
}

describe('deleteInBatches', () => {
  it('runs statements while they fill their batch, and returns how many rows went', async () => {
    const t = table(25);
    expect(await deleteInBatches(t.deleteBatch, 10, 5)).toBe(25);
    expect(t.sizes).toEqual([10, 10, 10]);
  });

  it('stops after maxBatches, leaving the rest for the next call', async () => {
    const t = table(100);
    expect(await deleteInBatches(t.deleteBatch, 10, 3)).toBe(30);
    expect(t.left()).toBe(70);
  });

  it('runs one statement on an empty table', async () => {
    const t = table(0);
    expect(await deleteInBatches(t.deleteBatch, 10, 3)).toBe(0);
    expect(t.sizes).toEqual([10]);
  });
});
