import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { deleteInBatches } from '../../common/delete-in-batches.js';
import { PeriodicTask } from '../../common/periodic-task.js';
import { eventsConfig } from '../../config/index.js';
import { ResolvedFindingsService } from './resolved-findings.service.js';

const DELETE_BATCH = 5000;
const MAX_DELETE_BATCHES = 20;

/**
 * Forgets resolved findings past EVENT_RETENTION_DAYS, as the events of their pull request go: a
 * pull request's later push past that is reviewed whole anyway (no reviewed head is left).
 */
@Injectable()
export class ResolvedFindingsSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ResolvedFindingsSweeper.name);
  private readonly task = new PeriodicTask(
    () => this.sweepOnce(),
    (error) => this.logger.warn(`Sweep of resolved findings failed: ${error.message}`),
  );

  constructor(
    private readonly resolvedFindings: ResolvedFindingsService,
    @Inject(eventsConfig.KEY) private readonly config: ConfigType<typeof eventsConfig>,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.sweepIntervalSeconds * 1000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  private async sweepOnce(): Promise<void> {
    await deleteInBatches(
      (size) => this.resolvedFindings.deleteExpired(this.config.retentionDays, size),
      DELETE_BATCH,
      MAX_DELETE_BATCHES,
    );
  }
}
