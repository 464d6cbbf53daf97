import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { ReviewWorker } from './review.worker.js';

describe('ReviewWorker', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  const worker = (role: string, process: () => Promise<void>) =>
    new ReviewWorker(
      { process } as never,
      {} as never,
      {} as never,
      {} as never,
      { role } as never,
      { concurrency: 2 } as never,
    );

  it('exits the process when Bull cannot start processing (its queue never recovers)', async () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const fatal = jest.spyOn(Logger.prototype, 'fatal').mockImplementation(() => undefined);
    worker('worker', () =>
      Promise.reject(new Error('WRONGPASS invalid username-password pair')),
    ).onApplicationBootstrap();
    await new Promise((r) => setImmediate(r));
    expect(fatal).toHaveBeenCalledWith(expect.stringContaining('WRONGPASS'));
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('never takes jobs in an api process', () => {
    const processJobs = jest.fn(() => Promise.resolve());
    worker('api', processJobs).onApplicationBootstrap();
    expect(processJobs).not.toHaveBeenCalled();
  });
});
