import { Inject, Injectable, Logger } from '@nestjs/common';
import { githubStatus } from '../github/github-errors.js';
import { GITHUB_CLIENT } from '../github/github.module.js';
import type { GithubClient } from '../github/octokit.factory.js';
import type { ReviewFile, ReviewResult } from './engines/review-engine.js';
import { renderReview, reviewMarker } from './review-body.js';

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

  constructor(@Inject(GITHUB_CLIENT) private readonly github: GithubClient) {}

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

  /** Returns the review's URL. If GitHub rejects the inline comments (422), findings go in the body. */
  async post(target: PostTarget, result: ReviewResult, files: ReviewFile[]): Promise<string> {
    const inline = renderReview(target.eventId, target.engine, target.headSha, result, files, true);
    try {
      return await this.create(target, inline.body, inline.comments);
    } catch (error) {
      if (githubStatus(error) !== 422 || inline.comments.length === 0) {
        // A timeout or 5xx may come after GitHub created the review: look before the job retries.
        const posted = await this.findPosted(target).catch(() => null);
        if (posted) return posted;
        throw error;
      }
      this.logger.warn(`GitHub rejected inline comments for event ${target.eventId}; posting the findings in the body`);
      const fallback = renderReview(target.eventId, target.engine, target.headSha, result, files, false);
      return this.create(target, fallback.body, []);
    }
  }

  private async create(
    target: PostTarget,
    body: string,
    comments: ReturnType<typeof renderReview>['comments'],
  ): Promise<string> {
    const { data } = await this.github.rest.pulls.createReview({
      owner: target.owner,
      repo: target.repo,
      pull_number: target.number,
      commit_id: target.headSha,
      event: 'COMMENT',
      body,
      comments,
      // Never resent blindly: a retry must first look for the marker (the job's retry does).
      request: { retries: 0 },
    });
    return data.html_url;
  }
}
