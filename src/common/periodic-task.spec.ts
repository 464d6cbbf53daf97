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

  it('runs on its timer, one pass at a time, and stop() waits for the pass in flight', async () => {
    jest.useFakeTimers();
    try {
      let passes = 0;
      let finished = 0;
      const task = new PeriodicTask(
        async () => {
          passes++;
          await new Promise((r) => setTimeout(r, 30));
          finished++;
        },
        () => undefined,
      );
      task.start(20, 0);
      await jest.advanceTimersByTimeAsync(0);
      expect(passes).toBe(1); // the first pass at once
      await jest.advanceTimersByTimeAsync(20);
      expect(passes).toBe(1); // the tick at 20 ms joins the pass still running
      await jest.advanceTimersByTimeAsync(20);
      expect([passes, finished]).toEqual([2, 1]); // the first ended at 30 ms, the tick at 40 starts another
      let stopped = false;
      void task.stop().then(() => (stopped = true));
      await jest.advanceTimersByTimeAsync(10);
      expect(stopped).toBe(false); // the pass in flight ends at 70 ms
      await jest.advanceTimersByTimeAsync(20);
      expect([stopped, finished]).toEqual([true, 2]);
      await jest.advanceTimersByTimeAsync(200);
      expect(passes).toBe(2); // no pass after stop()
    } finally {
      jest.useRealTimers();
    }
  });
});
