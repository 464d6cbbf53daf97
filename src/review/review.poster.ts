import { Inject, Injectable, Logger } from '@nestjs/common';
import { githubStatus } from '../github/github-errors.js';
import { GITHUB_CLIENT } from '../github/github.module.js';
import type { GithubClient } from '../github/octokit.factory.js';
import type { ReviewFile } from './engines/review-engine.js';
import { OwnLogin } from './findings/own-login.js';
import { renderReview, reviewMarker, type ReviewContent } from './review-body.js';

/** Thrown by a pre-post check: the review must not be posted (the PR moved on or was closed). */
export class StalePostError extends Error {}

export interface PostTarget {
  owner: string;
  repo: string;
  number: number;
  eventId: string;
  headSha: string;
  engine: string;
}

/** Posts exactly one COMMENT review per event on its head SHA. */
@Injectable()
export class ReviewPoster {
  private readonly logger = new Logger(ReviewPoster.name);

  constructor(
    @Inject(GITHUB_CLIENT) private readonly github: GithubClient,
    private readonly ownLogin: OwnLogin,
  ) {}

  /** The URL of a review this event already posted (a retried or re-run job), if any. */
  async findPosted(target: PostTarget): Promise<string | null> {
    const marker = reviewMarker(target.eventId);
    const reviews = await this.github.paginate(this.github.rest.pulls.listReviews, {
      owner: target.owner,
      repo: target.repo,
      pull_number: target.number,
      per_page: 100,
    });
    return reviews.find((r) => r.body?.includes(marker))?.html_url ?? null;
  }

  /**
   * Returns the review's URL. If GitHub rejects the inline comments (422), findings go in the body.
   * `check` runs right before the review is sent, after the write pacing held it: it throws a
   * StalePostError to post nothing.
   */
  async post(
    target: PostTarget,
    content: ReviewContent,
    files: ReviewFile[],
    check: () => Promise<void> = () => Promise.resolve(),
  ): Promise<string> {
    const inline = renderReview(content, files, true);
    try {
      return await this.create(target, inline.body, inline.comments, check);
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      // The check's own outcome (stale, or GitHub's answer to its read) rather than octokit's wrapper.
      if (cause instanceof StalePostError || (cause instanceof Error && 'status' in cause)) throw cause;
      if (githubStatus(error) !== 422 || inline.comments.length === 0) {
        // A timeout or 5xx may come after GitHub created the review: look before the job retries.
        const posted = await this.findPosted(target).catch(() => null);
        if (posted) return posted;
        throw error;
      }
      this.logger.warn(`GitHub rejected inline comments for event ${target.eventId}; posting the findings in the body`);
      const fallback = renderReview(content, files, false);
      return this.create(target, fallback.body, []);
    }
  }

  private async create(
    target: PostTarget,
    body: string,
    comments: ReturnType<typeof renderReview>['comments'],
    check?: () => Promise<void>,
  ): Promise<string> {
    // octokit's throttling paces writes before it calls fetch, so a check made in fetch sees GitHub
    // as it is when the review goes out, not as it was when the post was queued.
    const send =
      (this.github.request.endpoint.DEFAULTS.request as { fetch?: typeof fetch } | undefined)?.fetch ?? fetch;
    const checked: typeof fetch = async (input, init) => {
      await check?.();
      return send(input, init);
    };
    const { data } = await this.github.rest.pulls.createReview({
      owner: target.owner,
      repo: target.repo,
      pull_number: target.number,
      commit_id: target.headSha,
      event: 'COMMENT',
      body,
      comments,
      // Never resent blindly: a retry must first look for the marker (the job's retry does).
      request: { retries: 0, fetch: checked },
    });
    this.ownLogin.learn(data.user?.login);
    return data.html_url;
  }
}
