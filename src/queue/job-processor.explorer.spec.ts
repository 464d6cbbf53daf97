import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { getQueueToken } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { Job } from 'bull';
import { JobProcessor } from './job-processor.decorator.js';
import { JobProcessorExplorer } from './job-processor.explorer.js';

@Injectable()
@JobProcessor({ queue: 'things', job: 'do' })
class ThingProcessor {
  readonly concurrency = 4;
  readonly done: unknown[] = [];
  process(job: Job<unknown>): Promise<string> {
    this.done.push(job.data);
    return Promise.resolve('ok');
  }
}

type Handler = (job: Job<unknown>) => Promise<unknown>;

async function boot(start: () => Promise<void>) {
  const calls: Array<{ name: string; concurrency: number; handler: Handler }> = [];
  const queue = {
    process: (name: string, concurrency: number, handler: Handler) => {
      calls.push({ name, concurrency, handler });
      return start();
    },
  };
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [JobProcessorExplorer, ThingProcessor, { provide: getQueueToken('things'), useValue: queue }],
  }).compile();
  moduleRef.get(JobProcessorExplorer).onApplicationBootstrap();
  return { calls, processor: moduleRef.get(ThingProcessor) };
}

describe('JobProcessorExplorer', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it("starts each @JobProcessor on its queue with the processor's concurrency", async () => {
    const { calls, processor } = await boot(() => new Promise(() => undefined));
    expect(calls.map(({ name, concurrency }) => ({ name, concurrency }))).toEqual([{ name: 'do', concurrency: 4 }]);
    expect(await calls[0].handler({ data: 7 } as Job<unknown>)).toBe('ok');
    expect(processor.done).toEqual([7]);
  });

  it('exits the process when Bull cannot start processing (its queue never recovers)', async () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as typeof process.exit);
    const fatal = jest.spyOn(Logger.prototype, 'fatal').mockImplementation(() => undefined);
    await boot(() => Promise.reject(new Error('WRONGPASS invalid username-password pair')));
    await new Promise((r) => setImmediate(r));
    expect(fatal).toHaveBeenCalledWith(expect.stringContaining('WRONGPASS'));
    expect(exit).toHaveBeenCalledWith(1);
  });
});
