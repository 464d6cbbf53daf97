import { getQueueToken } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import { JobProcessor, type JobProcessor as Processor } from './job-processor.decorator.js';

/**
 * Starts every @JobProcessor provider the app was built with (so only in the roles whose modules
 * contain one). A processor that Bull cannot start stops the process: that queue never recovers in
 * it, and a restart with the cause in its log beats answering /health while running no job.
 */
@Injectable()
export class JobProcessorExplorer implements OnApplicationBootstrap {
  private readonly logger = new Logger('JobProcessor');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly moduleRef: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: JobProcessor.KEY })) {
      const options = this.discovery.getMetadataByDecorator(JobProcessor, wrapper);
      const processor = wrapper.instance as Processor<unknown> | undefined;
      if (!options || !processor) continue;
      this.start(options.queue, options.job, processor);
    }
  }

  start(queueName: string, job: string, processor: Processor<unknown>): void {
    const queue = this.moduleRef.get<Queue>(getQueueToken(queueName), { strict: false });
    void queue
      .process(job, processor.concurrency, (j) => processor.process(j))
      .catch((error: Error) => {
        this.logger.fatal(`${queueName} processor could not start, exiting: ${error.message} (check REDIS_URL)`);
        process.exit(1);
      });
  }
}
