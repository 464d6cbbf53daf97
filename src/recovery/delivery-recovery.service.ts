import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../common/periodic-task.js';
import { eventsConfig } from '../config/index.js';
import { EventsService } from '../events/events.service.js';
import { GITHUB_CLIENT } from '../github/github.module.js';
import type { GithubClient } from '../github/octokit.factory.js';
import type { Installation } from '../installations/installation.entity.js';
import { InstallationsService } from '../installations/installations.service.js';

/** GitHub keeps deliveries for 3 days and never retries a failed one by itself. */
const WINDOW_MS = 3 * 24 * 3600 * 1000;
/** Pages of 100 deliveries a hook's run may read: 3 days of a busy repository. */
export const MAX_PAGES = 100;
/** A run reads back to where the previous complete run began, less this, for attempts still in flight then. */
const OVERLAP_MS = 15 * 60 * 1000;
const CLOCK_SKEW_MS = 3600 * 1000;
const RECOVERY_LOCK_KEY = 0x6e656375; // one recovering process at a time across the deployment

interface Delivery {
  id: number;
  guid: string;
  status_code: number;
  delivered_at: string;
}

/**
 * Recovers deliveries GitHub failed to make (Nectr down, timed out, 5xx): on start-up and then every
 * DELIVERY_RECOVERY_INTERVAL_MINUTES, for each active hook, redelivers the recent deliveries that
 * never succeeded and that Nectr never stored. Refusals Nectr meant (4xx) are not redelivered.
 */
@Injectable()
export class DeliveryRecoveryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryRecoveryService.name);
  /**
   * Per hook, when the last run that read every delivery of its span began: later runs read back to
   * there rather than through GitHub's whole 3 days, so an hourly run costs a page or two. Kept in
   * memory, for active hooks only: a process's first run reads the 3 days.
   */
  private readonly readSince = new Map<number, number>();
  private readonly task = new PeriodicTask(
    () => this.recoverLocked(),
    (error) => this.logger.warn(`Delivery recovery failed: ${error.message}`),
  );

  constructor(
    @Inject(GITHUB_CLIENT) private readonly github: GithubClient,
    @InjectDataSource() private readonly db: DataSource,
    private readonly installations: InstallationsService,
    private readonly events: EventsService,
    @Inject(eventsConfig.KEY) private readonly config: ConfigType<typeof eventsConfig>,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.recoveryIntervalMinutes === 0) return;
    this.task.start(this.config.recoveryIntervalMinutes * 60_000, 5000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** Redelivers what was missed; returns how many redeliveries were asked for. */
  async recover(): Promise<number> {
    return (await this.task.run()) ?? 0;
  }

  private async recoverLocked(): Promise<number> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [
        RECOVERY_LOCK_KEY,
      ])) as Array<{
        locked: boolean;
      }>;
      if (!locked) return 0;
      try {
        let total = 0;
        const installations = await this.installations.list();
        this.forgetHooksNotIn(installations);
        for (const installation of installations) {
          // One hook GitHub will not list (deleted there, or the token lost the repository) must not
          // keep every repository after it from being recovered.
          total += await this.recoverHook(installation).catch((error: Error) => {
            this.logger.warn(`Delivery recovery of ${installation.fullName} failed: ${error.message}`);
            return 0;
          });
        }
        if (total) this.logger.log(`Asked GitHub to redeliver ${total} missed deliveries`);
        return total;
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [RECOVERY_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  /** A hook no longer installed is never read again: its entry goes, so the map stays one per active hook. */
  private forgetHooksNotIn(installations: Installation[]): void {
    const active = new Set(installations.map((installation) => installation.hookId));
    for (const hookId of this.readSince.keys()) if (!active.has(hookId)) this.readSince.delete(hookId);
  }

  private async recoverHook(installation: Installation): Promise<number> {
    if (!installation.hookId) return 0;
    const { owner, name: repo } = installation;
    const hook_id = installation.hookId;
    const started = Date.now();
    const since = Math.max(started - WINDOW_MS, (this.readSince.get(hook_id) ?? 0) - OVERLAP_MS);
    const attempts = new Map<string, Delivery[]>();
    let pages = 0;
    let oldest: string | undefined;
    for await (const page of this.github.paginate.iterator(this.github.rest.repos.listWebhookDeliveries, {
      owner,
      repo,
      hook_id,
      per_page: 100,
    })) {
      const recent = (page.data as Delivery[]).filter((d) => Date.parse(d.delivered_at) >= since);
      for (const d of recent) attempts.set(d.guid, [...(attempts.get(d.guid) ?? []), d]);
      oldest = recent.at(-1)?.delivered_at ?? oldest;
      if (recent.length < page.data.length) break;
      if (++pages >= MAX_PAGES) {
        this.logger.warn(
          `Delivery recovery of ${installation.fullName} read its newest ${pages * 100} deliveries, back to ${oldest}; ` +
            'failed deliveries before that were not checked',
        );
        break;
      }
    }
    if (pages < MAX_PAGES) this.readSince.set(hook_id, started);
    // An event is stored when its delivery arrives, so one stored from a listed attempt was created
    // after the window began (less any clock skew between GitHub and the database).
    const known = await this.events.knownDeliveries([...attempts.keys()], new Date(since - CLOCK_SKEW_MS));
    let redelivered = 0;
    for (const [guid, tries] of attempts) {
      if (known.has(guid) || tries.some((d) => isSuccess(d.status_code))) continue;
      const latest = tries.reduce((a, b) => (Date.parse(a.delivered_at) >= Date.parse(b.delivered_at) ? a : b));
      if (!isWorthRetrying(latest.status_code)) continue;
      await this.github.rest.repos.redeliverWebhookDelivery({ owner, repo, hook_id, delivery_id: latest.id });
      redelivered++;
    }
    return redelivered;
  }
}

const isSuccess = (status: number) => status >= 200 && status < 300;
/** 0 is GitHub's code for a timeout or a connection failure. */
const isWorthRetrying = (status: number) => status === 0 || status === 408 || status === 429 || status >= 500;
