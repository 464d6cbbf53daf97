import { type DynamicModule, Module, type Provider, ValidationPipe } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AllExceptionsFilter, ROUTE_NOT_FOUND_MESSAGE } from './common/all-exceptions.filter.js';
import { HttpDrain } from './common/http-drain.js';
import { LoggerModule } from './common/logger.module.js';
import type { ProcessRole } from './config/app.config.js';
import { allConfigs } from './config/index.js';
import { DatabaseModule } from './database/database.module.js';
import { EventsApiModule } from './events/events-api.module.js';
import { GithubModule } from './github/github.module.js';
import { HealthModule } from './health/health.module.js';
import { InstallationsApiModule } from './installations/installations-api.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { QueueWorkerModule } from './queue/queue-worker.module.js';
import { QueueModule } from './queue/queue.module.js';
import { RecoveryModule } from './recovery/recovery.module.js';
import { RepoConfigApiModule } from './repo-config/repo-config-api.module.js';
import { ReviewModule } from './review/review.module.js';
import { SessionsApiModule } from './sessions/sessions-api.module.js';
import { SessionsModule } from './sessions/sessions.module.js';
import { StatsModule } from './stats/stats.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

type Imports = NonNullable<DynamicModule['imports']>;

/**
 * Every role: configuration, logs, Postgres, the queue (enqueue and sweep), /health and /metrics
 * (and the sessions ApiTokenGuard accepts).
 */
const CORE: Imports = [
  ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: allConfigs }),
  LoggerModule,
  DatabaseModule,
  QueueModule,
  MetricsModule,
  SessionsModule,
  GithubModule,
  HealthModule,
];
/** Answering HTTP: GitHub's webhooks, the management API and the web UI's routes. */
const API: Imports = [
  WebhooksModule,
  InstallationsApiModule,
  RepoConfigApiModule,
  EventsApiModule,
  SessionsApiModule,
  StatsModule,
];
/** Reviewing: the outbox relay, the review processor, recovery of missed deliveries. */
const WORKER: Imports = [QueueWorkerModule, ReviewModule, RecoveryModule];

/** What each PROCESS_ROLE runs. A worker serves /health and /metrics only; nothing else is built. */
export const ROLE_MODULES: Record<ProcessRole, Imports> = {
  api: [...CORE, ...API],
  worker: [...CORE, ...WORKER],
  all: [...CORE, ...API, ...WORKER],
};

/** Whether a role serves the management API and webhooks (and so the API description). */
export const servesApi = (role: ProcessRole): boolean => role !== 'worker';

@Module({})
export class AppModule {
  /** The application of one process role, composed of the modules that role needs. */
  static forRole(role: ProcessRole): DynamicModule {
    const providers: Provider[] = [
      // In the root module, so its destroy hook runs first: answers close their connections at once.
      HttpDrain,
      { provide: APP_FILTER, useClass: AllExceptionsFilter },
      {
        provide: APP_PIPE,
        useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
      },
    ];
    if (!servesApi(role)) {
      providers.push({
        provide: ROUTE_NOT_FOUND_MESSAGE,
        useValue: `This process runs with PROCESS_ROLE=${role} and serves only /health and /metrics`,
      });
    }
    return { module: AppModule, imports: ROLE_MODULES[role], providers };
  }
}
