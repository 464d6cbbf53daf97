import { DiscoveryService } from '@nestjs/core';
import type { Job } from 'bull';

/** Where a @JobProcessor class takes its jobs from. */
export interface JobProcessorOptions {
  queue: string;
  /** The job name it runs (Bull's named processor). */
  job: string;
}

/**
 * What a @JobProcessor class provides: how many jobs it runs at once (read from configuration
 * when the app starts) and the handler, which settles a job or throws to have Bull retry it.
 */
export interface JobProcessor<T> {
  readonly concurrency: number;
  process(job: Job<T>): Promise<unknown>;
}

/**
 * Marks a provider as the processor of a queue's jobs; JobProcessorExplorer finds it and starts
 * it. Used instead of @nestjs/bull's @Processor/@Process, whose concurrency is a constant fixed when
 * the decorator is evaluated (REVIEW_CONCURRENCY is configuration) and whose explorer drops the
 * promise queue.process returns, so a Bull that cannot start (Redis refusing the credentials) would
 * go unnoticed instead of stopping the process.
 */
export const JobProcessor = DiscoveryService.createDecorator<JobProcessorOptions>();
