import { Inject, Injectable, Logger } from '@nestjs/common';
import { GITHUB_CLIENT } from '../../github/github.module.js';
import type { GithubClient } from '../../github/octokit.factory.js';
import { parseFindingMarkers, type PostedFinding } from './fingerprint.js';

const THREADS = `query NectrReviewThreads($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved comments(first: 1) { nodes { body } } }
      }
    }
  }
}`;

interface ThreadsAnswer {
  repository: {
    pullRequest: {
      reviewThreads: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: Array<{ id: string; isResolved: boolean; comments: { nodes: Array<{ body: string }> } }>;
      };
    } | null;
  } | null;
}

/** Resolves the review threads of findings that no longer hold, through GitHub's GraphQL API. */
@Injectable()
export class ReviewThreadsClient {
  private readonly logger = new Logger(ReviewThreadsClient.name);

  constructor(@Inject(GITHUB_CLIENT) private readonly github: GithubClient) {}

  /**
   * Returns how many threads it resolved. Never throws: a thread left open costs less than a review
   * not posted, and the next review of the PR tries again.
   */
  async resolveFixed(owner: string, name: string, number: number, fixed: PostedFinding[]): Promise<number> {
    const prints = new Set(fixed.filter((f) => f.inline).map((f) => f.fingerprint));
    if (prints.size === 0) return 0;
    try {
      const ids = await this.openThreads(owner, name, number, prints);
      if (ids.length === 0) return 0;
      // One request for all: an aliased mutation per thread.
      const vars = ids.map((_, i) => `$t${i}: ID!`).join(', ');
      const fields = ids.map((_, i) => `t${i}: resolveReviewThread(input: { threadId: $t${i} }) { thread { id } }`);
      const variables = Object.fromEntries(ids.map((id, i) => [`t${i}`, id]));
      await this.github.graphql(`mutation NectrResolveThreads(${vars}) {\n  ${fields.join('\n  ')}\n}`, variables);
      return ids.length;
    } catch (error) {
      this.logger.warn(
        `Could not resolve review threads on ${owner}/${name}#${number}; left for the next review: ${(error as Error).message}`,
      );
      return 0;
    }
  }

  /** Unresolved threads whose first comment is a Nectr finding among `prints`. */
  private async openThreads(owner: string, name: string, number: number, prints: Set<string>): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const answer: ThreadsAnswer = await this.github.graphql<ThreadsAnswer>(THREADS, { owner, name, number, after });
      const threads = answer.repository?.pullRequest?.reviewThreads;
      if (!threads) break;
      for (const thread of threads.nodes) {
        const first = thread.comments.nodes[0]?.body;
        if (!thread.isResolved && parseFindingMarkers(first, true).some((f) => prints.has(f.fingerprint)))
          ids.push(thread.id);
      }
      after = threads.pageInfo.hasNextPage ? threads.pageInfo.endCursor : null;
    } while (after);
    return ids;
  }
}
