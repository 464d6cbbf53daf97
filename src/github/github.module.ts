import { Global, Logger, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { githubConfig } from '../config/index.js';
import { createGithubClient, type GithubHeaders } from './octokit.factory.js';

/**
 * Told of every answer GitHub gives (its status and headers). The metrics module provides it, so
 * this module, which most others import, imports none of theirs.
 */
export interface GithubObserver {
  github(status: number, headers?: GithubHeaders): void;
}
export const GITHUB_OBSERVER = Symbol('GITHUB_OBSERVER');

/** For review jobs and recovery: retries 3 times and waits out rate limits of up to 2 minutes. */
export const GITHUB_CLIENT = Symbol('GITHUB_CLIENT');
/**
 * For calls a user's API request waits on (installing, rotating, uninstalling): retries once and
 * never waits out a rate limit, so the request answers in seconds, not minutes.
 */
export const GITHUB_INTERACTIVE_CLIENT = Symbol('GITHUB_INTERACTIVE_CLIENT');

const client = (interactive: boolean) => ({
  provide: interactive ? GITHUB_INTERACTIVE_CLIENT : GITHUB_CLIENT,
  inject: [githubConfig.KEY, GITHUB_OBSERVER],
  useFactory: (github: ConfigType<typeof githubConfig>, observer: GithubObserver) =>
    createGithubClient({
      ...github,
      ...(interactive ? { retries: 1, maxRateLimitWaitSeconds: 0 } : {}),
      log: new Logger('GitHub'),
      onResponse: (status, headers) => observer.github(status, headers),
    }),
});

@Global()
@Module({
  providers: [client(false), client(true)],
  exports: [GITHUB_CLIENT, GITHUB_INTERACTIVE_CLIENT],
})
export class GithubModule {}
