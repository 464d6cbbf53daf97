// The `builtin` engine: deterministic rules over the added lines, no network, no configuration.
import { addedLines } from '../../diff/patch.js';
import type { Finding, ReviewEngine, ReviewInput, ReviewResult, Severity } from '../review-engine.js';
import { loadRules } from './load-rules.js';
import type { Rule } from './rule.js';
import { skipReason } from './skip.js';

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
const byLineThenRule = (a: Finding, b: Finding): number =>
  (a.line ?? 0) - (b.line ?? 0) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);

/**
 * Runs `rules` over `input`: findings come in file order, then line, then rule id, followed by
 * pull-request-level notes, so the same pull request always yields the same review.
 */
export function runRules(rules: Rule[], input: ReviewInput): ReviewResult {
  const findings: Finding[] = [];
  const skipped: ReviewResult['skipped'] = [];
  const reviewed = input.files.filter((file) => {
    const reason = skipReason(file);
    if (reason) skipped.push({ path: file.filename, reason });
    return !reason;
  });
  for (const file of reviewed) {
    const added = addedLines(file.patch);
    findings.push(...rules.flatMap((rule) => rule.check(file, added)).sort(byLineThenRule));
  }
  const pullRequest = { ...input, files: reviewed };
  findings.push(...rules.flatMap((rule) => rule.checkPullRequest(pullRequest)));
  return { summary: summarize(findings, reviewed.length, skipped.length), findings, skipped };
}

/** Counts only: the processor renders the findings themselves. */
export function summarize(findings: Finding[], reviewed: number, skipped: number): string {
  const skippedNote = skipped ? ` Skipped ${plural(skipped, 'file')} (generated, vendored, lock or binary).` : '';
  if (findings.length === 0) {
    return `No issues found by the builtin rules in ${plural(reviewed, 'file')}.${skippedNote}`;
  }
  const counts = SEVERITY_ORDER.map(
    (severity) => [severity, findings.filter((f) => f.severity === severity).length] as const,
  )
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`)
    .join(', ');
  const files = new Set(findings.map((f) => f.path).filter(Boolean)).size;
  const where = files ? ` in ${plural(files, 'file')}` : '';
  return `Nectr found ${plural(findings.length, 'issue')}${where} (${counts}).${skippedNote}`;
}

export class BuiltinEngine implements ReviewEngine {
  readonly name = 'builtin';

  constructor(private readonly rules: Rule[]) {}

  /** An engine with every rule found in `rules/`. */
  static async create(): Promise<BuiltinEngine> {
    return new BuiltinEngine(await loadRules());
  }

  get ruleIds(): string[] {
    return this.rules.map((rule) => rule.id);
  }

  review(input: ReviewInput): Promise<ReviewResult> {
    return Promise.resolve(runRules(this.rules, input));
  }
}
