import { Inject, Injectable, Logger } from '@nestjs/common';
import { ellipsize } from '../common/ellipsize.js';
import { githubStatus, rateLimitWaitSeconds } from '../github/github-errors.js';
import { GITHUB_CLIENT } from '../github/github.module.js';
import type { GithubClient } from '../github/octokit.factory.js';
import { OwnLogin } from './findings/own-login.js';

export const STATUS_CONTEXT = 'nectr';
export type StatusState = 'pending' | 'success' | 'failure' | 'error';

export interface StatusTarget {
  owner: string;
  repo: string;
  headSha: string;
}

/** GitHub refuses a status description over 140 characters. */
export const MAX_DESCRIPTION = 140;

/**
 * `description` cut to GitHub's limit, ending with `…` when cut, and never between the two halves
 * of a character outside the BMP (an emoji in a label's name), which GitHub would refuse or garble.
 */
export function fitDescription(description: string): string {
  return description.length <= MAX_DESCRIPTION ? description : ellipsize(description, MAX_DESCRIPTION - 1);
}

/** Sets the `nectr` commit status, which a branch protection rule can require. */
@Injectable()
export class CommitStatusClient {
  private readonly logger = new Logger(CommitStatusClient.name);
  /** Repositories already warned about: once per repository and process is enough to act on. */
  private readonly warned = new Set<string>();

  constructor(
    @Inject(GITHUB_CLIENT) private readonly github: GithubClient,
    private readonly ownLogin: OwnLogin,
  ) {}

  /**
   * A token without the right to set statuses (403/404) is warned about and skipped: the review
   * still posts. Rate limits and GitHub failures propagate, so the job backs off like any call.
   */
  async set(target: StatusTarget, state: StatusState, description: string, targetUrl?: string): Promise<void> {
    try {
      const { data } = await this.github.rest.repos.createCommitStatus({
        owner: target.owner,
        repo: target.repo,
        sha: target.headSha,
        state,
        context: STATUS_CONTEXT,
        description: fitDescription(description),
        ...(targetUrl ? { target_url: targetUrl } : {}),
      });
      this.ownLogin.learn(data.creator?.login);
    } catch (error) {
      const status = githubStatus(error);
      if ((status !== 403 && status !== 404) || rateLimitWaitSeconds(error) !== null) throw error;
      const repo = `${target.owner}/${target.repo}`.toLowerCase();
      if (this.warned.has(repo)) return;
      this.warned.add(repo);
      this.logger.warn(
        `GitHub refused the ${STATUS_CONTEXT} commit status on ${repo} (${status}); reviews still post. ` +
          'Give the token the "Commit statuses: write" permission (classic tokens: repo:status) to get it.',
      );
    }
  }

  /**
   * Sets the head's `nectr` status back to the verdict it had before the `pending` that Nectr set
   * last (a review of a head already judged, stopped before its own verdict). Nothing when the
   * newest `nectr` status is not that `pending`, or no verdict came before it. Never throws.
   */
  async restoreVerdict(target: StatusTarget): Promise<void> {
    try {
      const { data } = await this.github.rest.repos.listCommitStatusesForRef({
        owner: target.owner,
        repo: target.repo,
        ref: target.headSha,
        per_page: 100,
      });
      const ours = data.filter((status) => status.context === STATUS_CONTEXT); // newest first
      const [newest] = ours;
      if (newest?.state !== 'pending') return;
      const verdict = ours.find(
        (status) => status.state !== 'pending' && status.creator?.login === newest.creator?.login,
      );
      if (!verdict) return;
      await this.set(target, verdict.state as StatusState, verdict.description ?? '', verdict.target_url ?? undefined);
    } catch (error) {
      this.logger.warn(
        `Could not restore the ${STATUS_CONTEXT} status on ${target.owner}/${target.repo}: ${(error as Error).message}`,
      );
    }
  }

  /** For paths that must not fail on account of the status (the event has already failed). */
  async trySet(target: StatusTarget, state: StatusState, description: string): Promise<void> {
    await this.set(target, state, description).catch((error: Error) =>
      this.logger.warn(
        `Could not set the ${STATUS_CONTEXT} status on ${target.owner}/${target.repo}: ${error.message}`,
      ),
    );
  }
}
