import type { Finding, ReviewInput } from '../../review-engine.js';
import { PULL_REQUEST_PATH, Rule } from '../rule.js';

/** Past these, reviewers skim: changed lines (additions + deletions) and files reviewed. */
export const MAX_CHANGED_LINES = 1000;
export const MAX_FILES = 50;

export class OversizedPrRule extends Rule {
  readonly id = 'pr/oversized';
  readonly severity = 'info' as const;
  readonly description = `A pull request over ${MAX_CHANGED_LINES} changed lines or ${MAX_FILES} files.`;

  // The engine passes only reviewed files: lock files and generated code do not tire reviewers.
  override checkPullRequest(input: ReviewInput): Finding[] {
    const lines = input.files.reduce((sum, file) => sum + file.additions + file.deletions, 0);
    const files = input.files.length;
    if (lines <= MAX_CHANGED_LINES && files <= MAX_FILES) return [];
    const size = `${lines} changed lines in ${files} file${files === 1 ? '' : 's'}`;
    const message =
      `Large pull request (${size}; limits ${MAX_CHANGED_LINES} lines, ${MAX_FILES} files). ` +
      'Big diffs get shallow reviews: consider splitting it into smaller, independent PRs.';
    return [this.finding(PULL_REQUEST_PATH, undefined, message)];
  }
}
