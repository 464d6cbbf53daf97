/**
 * Deletes in statements of `size` rows, so no transaction runs long: `deleteBatch(size)` deletes up
 * to `size` and says how many went; it runs again while a statement fills its batch, at most
 * `maxBatches` times (the rest waits for the next call). Returns how many rows went.
 */
export async function deleteInBatches(
  deleteBatch: (size: number) => Promise<number>,
  size: number,
  maxBatches: number,
): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const deleted = await deleteBatch(size);
    total += deleted;
    if (deleted < size) break;
  }
  return total;
}
