import { Inject, Injectable, Logger } from '@nestjs/common';
import { githubStatus, rateLimitWaitSeconds } from '../../github/github-errors.js';
import { GITHUB_CLIENT } from '../../github/github.module.js';
import type { GithubClient } from '../../github/octokit.factory.js';
import { reviewMarker } from '../review-body.js';
import { parseFindingMarkers, type PostedFinding } from './fingerprint.js';

/** What Nectr already said on a pull request. */
export interface PostedState {
  findings: PostedFinding[];
  /** The review this event posted, when an earlier run of it got that far. */
  postedUrl: string | null;
}

/**
 * Reads Nectr's earlier findings from the PR: the markers in its inline review comments and in its
 * review bodies (findings GitHub would not take inline are listed there). A page holds 100, so a PR
 * under 100 comments and reviews costs two calls.
 */
@Injectable()
export class PostedFindingsReader {
  private readonly logger = new Logger(PostedFindingsReader.name);
  /** The token's login, asked once per process; null when GitHub will not say (an app's token). */
  private login?: Promise<string | null>;

  constructor(@Inject(GITHUB_CLIENT) private readonly github: GithubClient) {}

  /**
   * Markers count only in what Nectr's token wrote: anyone who can comment on the PR could paste
   * one to hide a finding. When the token cannot read its login (GitHub refuses it to an app's
   * installation token: 403 or 404), every marker counts. Any other failure (a 5xx, the network,
   * a rate limit) is not kept: this attempt fails and is retried, and the login is asked again,
   * rather than trusting every marker for the rest of the process.
   */
  private ownLogin(): Promise<string | null> {
    this.login ??= this.github.rest.users.getAuthenticated().then(
      ({ data }) => data.login,
      (error: Error) => {
        const status = githubStatus(error);
        if ((status !== 403 && status !== 404) || rateLimitWaitSeconds(error) !== null) {
          this.login = undefined;
          throw error;
        }
        this.logger.warn(`Could not read the token's login (${error.message}); trusting every Nectr marker`);
        return null;
      },
    );
    return this.login;
  }

  async read(owner: string, repo: string, number: number, eventId: string): Promise<PostedState> {
    const params = { owner, repo, pull_number: number, per_page: 100 };
    const [login, allComments, allReviews] = await Promise.all([
      this.ownLogin(),
      this.github.paginate(this.github.rest.pulls.listReviewComments, params),
      this.github.paginate(this.github.rest.pulls.listReviews, params),
    ]);
    const ours = (item: { user?: { login?: string } | null }) => login === null || item.user?.login === login;
    const comments = allComments.filter(ours);
    const reviews = allReviews.filter(ours);
    const marker = reviewMarker(eventId);
    return {
      findings: [
        ...comments.flatMap((c) => parseFindingMarkers(c.body, c.in_reply_to_id === undefined)),
        ...reviews.flatMap((r) => parseFindingMarkers(r.body, false)),
      ],
      postedUrl: reviews.find((r) => r.body?.includes(marker))?.html_url ?? null,
    };
  }
}
