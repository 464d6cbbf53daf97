import { Module, ValidationPipe } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { HttpDrain } from './common/http-drain.js';
import { LoggerModule } from './common/logger.module.js';
import { allConfigs } from './config/index.js';
import { DatabaseModule } from './database/database.module.js';
import { EventsModule } from './events/events.module.js';
import { QueueModule } from './database/queue.module.js';
import { GithubModule } from './github/github.module.js';
import { HealthModule } from './health/health.module.js';
import { InstallationsModule } from './installations/installations.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { RecoveryModule } from './recovery/recovery.module.js';
import { ReviewModule } from './review/review.module.js';
import { SessionsModule } from './sessions/sessions.module.js';
import { StatsModule } from './stats/stats.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: allConfigs }),
    LoggerModule,
    DatabaseModule,
    QueueModule,
    MetricsModule,
    SessionsModule,
    GithubModule,
    HealthModule,
    InstallationsModule,
    EventsModule,
    WebhooksModule,
    ReviewModule,
    RecoveryModule,
    StatsModule,
  ],
  providers: [
    // In the root module, so its destroy hook runs first: answers close their connections at once.
    HttpDrain,
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    {
      provide: APP_PIPE,
      useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
    },
  ],
})
export class AppModule {}
