import { Inject, Injectable, Logger } from '@nestjs/common';
import { GITHUB_CLIENT } from '../../github/github.module.js';
import type { GithubClient } from '../../github/octokit.factory.js';
import { parseFindingMarkers, type PostedFinding } from './fingerprint.js';
import { OwnLogin } from './own-login.js';

const THREADS = `query NectrReviewThreads($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved resolvedBy { login } comments(first: 1) { nodes { body } } }
      }
    }
  }
}`;

interface Thread {
  id: string;
  isResolved: boolean;
  resolvedBy: { login: string } | null;
  comments: { nodes: Array<{ body: string }> };
}

interface ThreadsAnswer {
  repository: {
    pullRequest: {
      reviewThreads: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Thread[] };
    } | null;
  } | null;
}

/** Earlier findings a review judged: `fixed` (no longer open), and `back` (open again, their threads resolved before). */
export interface JudgedFindings {
  fixed: PostedFinding[];
  back: PostedFinding[];
}

/**
 * Keeps the review threads of Nectr's findings in step with the head, through GitHub's GraphQL API:
 * resolves the thread of a finding that no longer holds, and reopens the thread of a finding that
 * holds again (its fix was reverted) when Nectr resolved it. A thread a person resolved stays
 * resolved: that is their call.
 */
@Injectable()
export class ReviewThreadsClient {
  private readonly logger = new Logger(ReviewThreadsClient.name);

  constructor(
    @Inject(GITHUB_CLIENT) private readonly github: GithubClient,
    private readonly ownLogin: OwnLogin,
  ) {}

  /**
   * Returns how many threads it resolved and reopened, or null when GitHub failed it. Never throws:
   * a thread left as it is costs less than a review not posted, and the next review tries again.
   */
  async sync(
    owner: string,
    name: string,
    number: number,
    judged: JudgedFindings,
  ): Promise<{ resolved: number; reopened: number } | null> {
    const fixed = inlinePrints(judged.fixed);
    const back = inlinePrints(judged.back);
    if (fixed.size === 0 && back.size === 0) return { resolved: 0, reopened: 0 };
    try {
      const [threads, login] = await Promise.all([this.threads(owner, name, number), this.ownLogin.get()]);
      const resolve: string[] = [];
      const reopen: string[] = [];
      for (const thread of threads) {
        const prints = parseFindingMarkers(thread.comments.nodes[0]?.body, true).map((f) => f.fingerprint);
        if (!thread.isResolved && prints.some((print) => fixed.has(print))) resolve.push(thread.id);
        else if (thread.isResolved && resolvedByNectr(thread, login) && prints.some((print) => back.has(print)))
          reopen.push(thread.id);
      }
      await this.mutate('resolveReviewThread', resolve);
      await this.mutate('unresolveReviewThread', reopen);
      return { resolved: resolve.length, reopened: reopen.length };
    } catch (error) {
      this.logger.warn(
        `Could not update review threads on ${owner}/${name}#${number}; left for the next review: ${(error as Error).message}`,
      );
      return null;
    }
  }

  /** One request for all `ids`: an aliased mutation per thread. */
  private async mutate(field: 'resolveReviewThread' | 'unresolveReviewThread', ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const vars = ids.map((_, i) => `$t${i}: ID!`).join(', ');
    const fields = ids.map((_, i) => `t${i}: ${field}(input: { threadId: $t${i} }) { thread { id } }`);
    const variables = Object.fromEntries(ids.map((id, i) => [`t${i}`, id]));
    const operation = field === 'resolveReviewThread' ? 'NectrResolveThreads' : 'NectrReopenThreads';
    await this.github.graphql(`mutation ${operation}(${vars}) {\n  ${fields.join('\n  ')}\n}`, variables);
  }

  /** Every review thread of the PR, 100 a page. */
  private async threads(owner: string, name: string, number: number): Promise<Thread[]> {
    const all: Thread[] = [];
    let after: string | null = null;
    do {
      const answer: ThreadsAnswer = await this.github.graphql<ThreadsAnswer>(THREADS, { owner, name, number, after });
      const threads = answer.repository?.pullRequest?.reviewThreads;
      if (!threads) break;
      all.push(...threads.nodes);
      after = threads.pageInfo.hasNextPage ? threads.pageInfo.endCursor : null;
    } while (after);
    return all;
  }
}

const inlinePrints = (findings: PostedFinding[]): Set<string> =>
  new Set(findings.filter((f) => f.inline).map((f) => f.fingerprint));

/**
 * Whether Nectr resolved `thread`: its token's login, or no user at all (GitHub's `resolvedBy` is a
 * `User`, so a thread a GitHub App resolved has none; a person always has one). While Nectr's login
 * is unknown, only the latter counts.
 */
function resolvedByNectr(thread: Thread, login: string | null): boolean {
  return thread.resolvedBy === null || (login !== null && thread.resolvedBy.login === login);
}
