import { describe, expect, it, jest } from '@jest/globals';
import { PeriodicTask } from './periodic-task.js';

describe('PeriodicTask', () => {
  it('runs one pass at a time: a pass asked for meanwhile joins the running one', async () => {
    let release!: (n: number) => void;
    const work = jest.fn(() => new Promise<number>((resolve) => (release = resolve)));
    const task = new PeriodicTask(work, () => undefined);
    const first = task.run();
    const second = task.run();
    release(7);
    expect(await first).toBe(7);
    expect(await second).toBe(7);
    expect(work).toHaveBeenCalledTimes(1);
    const third = task.run();
    release(8);
    expect(await third).toBe(8);
    expect(work).toHaveBeenCalledTimes(2);
  });

  it('reports a failed pass and keeps going', async () => {
    const errors: string[] = [];
    const task = new PeriodicTask(
      () => Promise.reject(new Error('boom')),
      (e) => errors.push(e.message),
    );
    expect(await task.run()).toBeUndefined();
    expect(errors).toEqual(['boom']);
  });

  it('runs on its timer and stop() waits for the pass in flight', async () => {
    let passes = 0;
    const task = new PeriodicTask(
      async () => {
        passes++;
        await new Promise((r) => setTimeout(r, 30));
      },
      () => undefined,
    );
    task.start(20, 0);
    await new Promise((r) => setTimeout(r, 70));
    await task.stop();
    const after = passes;
    expect(after).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(passes).toBe(after);
  });
});
