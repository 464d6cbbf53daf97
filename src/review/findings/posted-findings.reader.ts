import { Inject, Injectable } from '@nestjs/common';
import { GITHUB_CLIENT } from '../../github/github.module.js';
import type { GithubClient } from '../../github/octokit.factory.js';
import { reviewMarker } from '../review-body.js';
import { parseFindingMarkers, type PostedFinding } from './fingerprint.js';
import { OwnLogin } from './own-login.js';

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
  constructor(
    @Inject(GITHUB_CLIENT) private readonly github: GithubClient,
    private readonly ownLogin: OwnLogin,
  ) {}

  async read(owner: string, repo: string, number: number, eventId: string): Promise<PostedState> {
    const params = { owner, repo, pull_number: number, per_page: 100 };
    const [login, allComments, allReviews] = await Promise.all([
      this.ownLogin.get(),
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
