// The one interface every review engine implements (builtin rules, anthropic, openai).
// The review processor fetches the pull request, hands an engine a ReviewInput and posts what it
// returns; only findings on lines present in the diff become inline comments.

export const REVIEW_ENGINE = Symbol('REVIEW_ENGINE');

/**
 * An engine failure another attempt will not change (a model API refusing the key, the model or
 * the account's credit): the event fails at once with this message instead of using up its attempts.
 */
export class PermanentEngineError extends Error {}

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export interface ReviewFile {
  /** Path in the repository (after a rename, the new path). */
  filename: string;
  /** GitHub's file status: added, modified, removed, renamed, copied, changed, unchanged. */
  status: string;
  additions: number;
  deletions: number;
  /** Unified diff hunk text as GitHub returns it; absent for binary or very large files. */
  patch?: string;
}

export interface ReviewInput {
  /** owner/name */
  repo: string;
  number: number;
  title: string;
  body: string | null;
  headSha: string;
  files: ReviewFile[];
  /**
   * Every file of the pull request (after `paths.ignore`) when `files` holds only a pushed range:
   * for notes about the pull request as a whole (its size). Absent: `files` is the whole PR.
   */
  pullRequestFiles?: ReviewFile[];
  /** The repository's `instructions` (.nectr.yml): extra guidance for model engines. */
  instructions?: string;
  /**
   * The file's content at the head, or null when it cannot or may not be read (too large, over the
   * review's fetch budget, binary, gone). Optional: engines that only read patches ignore it.
   */
  readFile?(path: string): Promise<string | null>;
}

export interface Finding {
  /** Stable id of the rule or check, e.g. `secrets/aws-access-key` or `model`. */
  ruleId: string;
  severity: Severity;
  path: string;
  /** Line number in the new version of the file (RIGHT side); absent for file- or PR-level notes. */
  line?: number;
  message: string;
}

export interface ReviewResult {
  /** Markdown summary for the review body (the processor adds the findings list and marker). */
  summary: string;
  findings: Finding[];
  /** Files the engine did not look at, with the reason (generated, vendored, lock file, budget…). */
  skipped: Array<{ path: string; reason: string }>;
  /** One line the review body opens with (a broken .nectr.yml, say). */
  notice?: string;
}

export interface ReviewEngine {
  readonly name: string;
  review(input: ReviewInput): Promise<ReviewResult>;
}
