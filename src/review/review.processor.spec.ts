import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Job } from 'bull';
import { reviewConfig } from '../config/index.js';
import { EventLifecycleService } from '../events/event-lifecycle.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { ReviewJobData } from '../queue/review-queue.constants.js';
import { ReviewProcessor } from './review.processor.js';
import { PermanentReviewError, PostInFlightError, type ReviewOutcome, ReviewService } from './review.service.js';

async function processor(run: () => Promise<ReviewOutcome>, keys: { openai?: string; anthropic?: string } = {}) {
  const settled: string[] = [];
  const outcomes: string[] = [];
  const reviews: Pick<ReviewService, 'run' | 'reportFailure'> = {
    run,
    reportFailure: (id) => Promise.resolve(void settled.push(`reported ${id}`)),
  };
  const lifecycle: Pick<EventLifecycleService, 'fail' | 'recordError'> = {
    fail: (id, message) => Promise.resolve(void settled.push(`fail ${id}: ${message}`)),
    recordError: (id, message) => Promise.resolve(void settled.push(`error ${id}: ${message}`)),
  };
  const metrics: Pick<MetricsService, 'review'> = { review: (outcome) => void outcomes.push(outcome) };
  const moduleRef = await Test.createTestingModule({
    providers: [
      ReviewProcessor,
      { provide: ReviewService, useValue: reviews },
      { provide: EventLifecycleService, useValue: lifecycle },
      { provide: MetricsService, useValue: metrics },
      {
        provide: reviewConfig.KEY,
        useValue: { concurrency: 3, openai: { apiKey: keys.openai }, anthropic: { apiKey: keys.anthropic } },
      },
    ],
  }).compile();
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  return { processor: moduleRef.get(ReviewProcessor), settled, outcomes };
}

const job = (attemptsMade: number, attempts = 3) =>
  ({ data: { eventId: 'e1' }, attemptsMade, opts: { attempts } }) as Job<ReviewJobData>;

describe('ReviewProcessor', () => {
  it('never keeps or logs a model API key that the model server echoed in its error', async () => {
    const key = 'sk-proj-the-configured-openai-key-0123';
    const p = await processor(() => Promise.reject(new Error(`401 Incorrect API key provided: ${key}`)), {
      openai: key,
    });
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    expect(await p.processor.process(job(2))).toBe('failed');
    expect(p.settled).toEqual(['fail e1: 401 Incorrect API key provided: [redacted]', 'reported e1']);
    expect(JSON.stringify(warn.mock.calls)).not.toContain(key);
  });

  it('takes its concurrency from configuration', async () => {
    const { processor: p } = await processor(() => Promise.resolve('completed'));
    expect(p.concurrency).toBe(3);
  });

  it('counts a completed run', async () => {
    const p = await processor(() => Promise.resolve('completed'));
    expect(await p.processor.process(job(0))).toBe('completed');
    expect(p.outcomes).toEqual(['completed']);
  });

  it('records the error and rethrows while attempts remain, so Bull retries', async () => {
    const p = await processor(() => Promise.reject(new Error('flaky')));
    await expect(p.processor.process(job(0))).rejects.toThrow('flaky');
    expect(p.settled).toEqual(['error e1: flaky']);
    expect(p.outcomes).toEqual(['retry']);
  });

  it('fails the event on a permanent error, without retrying', async () => {
    const p = await processor(() => Promise.reject(new PermanentReviewError('no such PR')));
    expect(await p.processor.process(job(0))).toBe('failed');
    expect(p.settled).toEqual(['fail e1: no such PR', 'reported e1']);
  });

  it('fails the event on the last attempt', async () => {
    const p = await processor(() => Promise.reject(new Error('still down')));
    expect(await p.processor.process(job(2))).toBe('failed');
    expect(p.settled).toEqual(['fail e1: still down', 'reported e1']);
    expect(p.outcomes).toEqual(['failed']);
  });

  it('leaves an event another run is posting to that run, even on the last attempt', async () => {
    const p = await processor(() => Promise.reject(new PostInFlightError('posting elsewhere')));
    expect(await p.processor.process(job(2))).toBe('skipped');
    expect(p.settled).toEqual([]);
    expect(p.outcomes).toEqual(['skipped']);
  });
});
