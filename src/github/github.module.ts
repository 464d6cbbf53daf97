import { Global, Logger, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { githubConfig } from '../config/index.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { createGithubClient } from './octokit.factory.js';

export const GITHUB_CLIENT = Symbol('GITHUB_CLIENT');

@Global()
@Module({
  providers: [
    {
      provide: GITHUB_CLIENT,
      inject: [githubConfig.KEY, MetricsService],
      useFactory: (github: ConfigType<typeof githubConfig>, metrics: MetricsService) =>
        createGithubClient({ ...github, log: new Logger('GitHub'), onResponse: (status) => metrics.github(status) }),
    },
  ],
  exports: [GITHUB_CLIENT],
})
export class GithubModule {}
