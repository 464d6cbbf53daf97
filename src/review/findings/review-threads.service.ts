import { Injectable } from '@nestjs/common';
import type { PostedFinding } from './fingerprint.js';
import { ReviewThreadsClient } from './review-threads.client.js';
import { ResolvedFindingsService, type PullRequestKey } from './resolved-findings.service.js';

/** Where a pull request lives on GitHub. */
export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
}

/**
 * Keeps the review threads of Nectr's findings in step with a reviewed head: resolves the threads
 * of findings newly fixed, and reopens those of findings back again (a fix reverted) that Nectr
 * resolved. `resolved_findings` remembers what it resolved, so a review with neither reads no
 * threads. It is written only once GitHub took the change: after a GraphQL error the next review of
 * the pull request tries again.
 */
@Injectable()
export class ReviewThreads {
  constructor(
    private readonly client: ReviewThreadsClient,
    private readonly resolvedFindings: ResolvedFindingsService,
  ) {}

  async sync(pull: PullRequestKey, ref: PullRequestRef, judged: { fixed: PostedFinding[]; open: PostedFinding[] }) {
    const fixed = judged.fixed.filter((finding) => finding.inline);
    const open = judged.open.filter((finding) => finding.inline);
    if (fixed.length === 0 && open.length === 0) return;
    const resolved = await this.resolvedFindings.of(pull);
    const newlyFixed = fixed.filter((finding) => !resolved.has(finding.fingerprint));
    const back = open.filter((finding) => resolved.has(finding.fingerprint));
    if (newlyFixed.length === 0 && back.length === 0) return;
    const done = await this.client.sync(ref.owner, ref.repo, ref.number, { fixed: newlyFixed, back });
    if (!done) return;
    await this.resolvedFindings.add(
      pull,
      newlyFixed.map((finding) => finding.fingerprint),
    );
    await this.resolvedFindings.remove(
      pull,
      back.map((finding) => finding.fingerprint),
    );
  }
}
