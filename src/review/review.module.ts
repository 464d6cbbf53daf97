import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { ConfigType } from '@nestjs/config';
import { reviewConfig } from '../config/index.js';
import { EventsModule } from '../events/events.module.js';
import { InstallationsModule } from '../installations/installations.module.js';
import { PrCommandsModule } from '../pr-commands/pr-commands.module.js';
import { RepoConfigModule } from '../repo-config/repo-config.module.js';
import { createReviewEngine } from './engines/engine.factory.js';
import { REVIEW_ENGINE } from './engines/review-engine.js';
import { CommitStatusClient } from './commit-status.client.js';
import { FileContentReader } from './file-content.reader.js';
import { OwnLogin } from './findings/own-login.js';
import { PostedFindingsReader } from './findings/posted-findings.reader.js';
import { ResolvedFinding } from './findings/resolved-finding.entity.js';
import { ResolvedFindingsService } from './findings/resolved-findings.service.js';
import { ResolvedFindingsSweeper } from './findings/resolved-findings.sweeper.js';
import { ReviewThreadsClient } from './findings/review-threads.client.js';
import { ReviewThreads } from './findings/review-threads.service.js';
import { OperatorRulesCheck } from './operator-rules.check.js';
import { PullRequestReader } from './pull-request.reader.js';
import { ReviewPoster } from './review.poster.js';
import { ReviewService } from './review.service.js';
import { ReviewProcessor } from './review.processor.js';

/** Running reviews: the processor of review jobs, the engines, reading PRs and posting reviews. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ResolvedFinding]),
    EventsModule,
    InstallationsModule,
    RepoConfigModule,
    PrCommandsModule,
  ],
  providers: [
    {
      provide: REVIEW_ENGINE,
      inject: [reviewConfig.KEY],
      useFactory: (config: ConfigType<typeof reviewConfig>) => createReviewEngine(config),
    },
    FileContentReader,
    PullRequestReader,
    OwnLogin,
    PostedFindingsReader,
    ReviewThreadsClient,
    ResolvedFindingsService,
    ResolvedFindingsSweeper,
    ReviewThreads,
    CommitStatusClient,
    ReviewPoster,
    ReviewService,
    ReviewProcessor,
    OperatorRulesCheck,
  ],
})
export class ReviewModule {}
