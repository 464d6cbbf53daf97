// What each `.nectr.yml` key does to a review. Pure functions the review job calls: which pull
// requests it skips, which files no engine sees, which findings are silenced or re-graded, and
// the team's own line rules.
import { createHash } from 'node:crypto';
import { RE2JS } from 're2js';
import { globMatcher } from '../config/glob.js';
import { REVIEW_ENGINES } from '../config/review.config.js';
import { NOT_REVIEWED_NOTE } from '../events/event-status.js';
import { addedLines } from './diff/patch.js';
import { canonicalRuleId, RULE_ALIASES } from './engines/builtin/catalogue.js';
import type { Finding, ReviewFile, ReviewResult } from './engines/review-engine.js';
import type { LoadedConfig } from '../repo-config/repo-config.service.js';
import type { RepoConfig } from '../config/repo-config.schema.js';

export interface PullRequestFacts {
  draft: boolean;
  /** The author's login. */
  author: string | null;
  labels: string[];
}

/** The facts skipReason needs, from a delivered `pull_request` object (GitHub's payload). */
export function pullRequestFacts(pull: Record<string, unknown> | null): PullRequestFacts {
  const user = pull?.user as { login?: unknown } | undefined;
  const labels = Array.isArray(pull?.labels) ? (pull.labels as Array<{ name?: unknown }>) : [];
  return {
    draft: pull?.draft === true,
    author: typeof user?.login === 'string' ? user.login : null,
    labels: labels.map((label) => label?.name).filter((name): name is string => typeof name === 'string'),
  };
}

export interface SkipContext {
  /** `/nectr pause` is in force for this pull request. */
  paused: boolean;
  /** A maintainer asked for this review (`/nectr review`): only `enabled: false` still applies. */
  requested: boolean;
}

/** Why this pull request is not reviewed (the event's note), or undefined when it is. */
export function skipReason(config: RepoConfig, pr: PullRequestFacts, context: SkipContext): string | undefined {
  const why = skipCause(config, pr, context);
  return why && `${NOT_REVIEWED_NOTE} ${why}`;
}

function skipCause(config: RepoConfig, pr: PullRequestFacts, context: SkipContext): string | undefined {
  if (!config.enabled) return 'enabled is false in .nectr.yml';
  if (context.requested) return undefined;
  if (context.paused) return 'reviews of this pull request are paused (/nectr resume restarts them)';
  if (pr.draft && !config.review.drafts) return 'draft pull request (review.drafts is false)';
  const author = pr.author?.toLowerCase();
  if (author && config.review.skip_authors.some((login) => login.toLowerCase() === author))
    return `author ${pr.author} is in review.skip_authors`;
  const skipLabels = new Set(config.review.skip_labels.map((label) => label.toLowerCase()));
  const label = pr.labels.find((name) => skipLabels.has(name.toLowerCase()));
  if (label !== undefined) return `label "${label}" is in review.skip_labels`;
  return undefined;
}

const IGNORED = 'ignored by paths.ignore in .nectr.yml';

/** The files engines may see, and those `paths.ignore` keeps from every engine. */
export function filterFiles(
  config: RepoConfig,
  files: ReviewFile[],
): { files: ReviewFile[]; ignored: ReviewResult['skipped'] } {
  if (config.paths.ignore.length === 0) return { files, ignored: [] };
  const ignore = globMatcher(config.paths.ignore);
  const kept: ReviewFile[] = [];
  const ignored: ReviewResult['skipped'] = [];
  for (const file of files) {
    if (ignore(file.filename)) ignored.push({ path: file.filename, reason: IGNORED });
    else kept.push(file);
  }
  return { files: kept, ignored };
}

/** A review of a pull request past `review.max_files`: no engine run, a line saying why, or undefined. */
export function summaryOnly(config: RepoConfig, files: ReviewFile[]): ReviewResult | undefined {
  const max = config.review.max_files;
  if (files.length <= max) return undefined;
  return {
    summary: '',
    findings: [],
    skipped: [],
    notice: `This pull request changes ${files.length} files, more than review.max_files (${max}): summary only, no file was reviewed.`,
  };
}

/**
 * A digest of the keys that decide what a review can find: `paths.ignore`, `review.max_files`,
 * `rules` and `custom_rules` (not how a head is judged or whether it is reviewed). A push is
 * reviewed whole when the digest differs from the last reviewed head's: lines pushed while a key
 * hid them were never judged. The order of `rules:` entries does not count.
 */
export function findingScope(config: RepoConfig): string {
  const entries = (object: object) => Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const scope = [config.paths.ignore, config.review.max_files, entries(config.rules), config.custom_rules.map(entries)];
  return createHash('sha256').update(JSON.stringify(scope)).digest('hex');
}

/** The scope recorded for a review over `review.max_files`: no engine ran, so the next push is reviewed whole. */
export const SUMMARY_ONLY = 'summary-only';

const LAYER_ORDER = ['default', 'operator', 'repository'] as const;

/**
 * `rules:` overrides by rule id: `off` drops the finding, a severity replaces the rule's own.
 * `sources` (where each `rules.<id>` came from) lets a later layer win over an earlier one that
 * names the same rule by its other name.
 */
export function applyRules<T extends Pick<Finding, 'ruleId' | 'severity'>>(
  config: RepoConfig,
  findings: T[],
  sources: LoadedConfig['sources'] = {},
): T[] {
  // A renamed rule's old id still works: the layer nearest the repository wins, and within one
  // layer the current id wins when a file names both.
  const rank = (id: string): number =>
    2 * LAYER_ORDER.indexOf(sources[`rules.${id}`] ?? 'default') + (RULE_ALIASES[id] ? 0 : 1);
  const overrides: RepoConfig['rules'] = {};
  const ranks: Record<string, number> = {};
  for (const [id, value] of Object.entries(config.rules)) {
    const target = RULE_ALIASES[id] ?? id;
    if (ranks[target] !== undefined && ranks[target] > rank(id)) continue;
    overrides[target] = value;
    ranks[target] = rank(id);
  }
  const out: T[] = [];
  for (const finding of findings) {
    const override = overrides[finding.ruleId];
    if (override === 'off') continue;
    out.push(override ? { ...finding, severity: override } : finding);
  }
  return out;
}

/**
 * Findings Nectr posted earlier, as the team's custom rules stand now: a custom rule's finding at the
 * rule's current severity, none of a rule the configuration no longer has (builtin and model
 * findings are left to `rules:`). The severity in a finding's marker is the one it was posted with.
 */
export function withCurrentCustomRules<T extends Pick<Finding, 'ruleId' | 'severity'>>(
  config: RepoConfig,
  findings: T[],
): T[] {
  const custom = new Map(config.custom_rules.map((rule) => [rule.id, rule.severity ?? 'medium']));
  return findings.flatMap((finding) => {
    const severity = custom.get(finding.ruleId);
    if (severity) return [{ ...finding, severity }];
    return canonicalRuleId(finding.ruleId) || finding.ruleId.startsWith('model/') ? [finding] : [];
  });
}

/**
 * Lines longer than this are not tested by custom rules. RE2's time is linear in the line's length,
 * but its factor grows with the pattern: `(?i)(\pL{1,500}\pN{1,499})y` takes ~2 s on a 50 000-character
 * line, and a match cannot be interrupted. Such lines are minified or generated code.
 */
export const CUSTOM_RULE_MAX_LINE = 4096;
/** All custom rules of one review share this much time; the rest of the files are not checked by them. */
export const CUSTOM_RULES_BUDGET_MS = 3000;

export interface CustomRulesRun {
  findings: Finding[];
  /** Set when the time budget ran out: the review says which files the custom rules did not finish. */
  notice?: string;
}

/**
 * `custom_rules` over each file's added lines. Patterns run on RE2 (re2js): no backtracking, so
 * `(a+)+$` cannot stall a worker; long lines and a time budget bound what a costly pattern takes.
 */
export function customRuleFindings(
  config: RepoConfig,
  files: ReviewFile[],
  budget: { ms: number; now: () => number } = { ms: CUSTOM_RULES_BUDGET_MS, now: () => performance.now() },
): CustomRulesRun {
  if (config.custom_rules.length === 0) return { findings: [] };
  const deadline = budget.now() + budget.ms;
  const rules = config.custom_rules.map((rule) => ({
    rule,
    regex: RE2JS.compile(rule.pattern),
    applies: rule.paths?.length ? globMatcher(rule.paths) : () => true,
  }));
  const findings: Finding[] = [];
  for (const [index, file] of files.entries()) {
    const matching = rules.filter(({ applies }) => applies(file.filename));
    if (matching.length === 0) continue;
    for (const { line, text } of addedLines(file.patch)) {
      if (text.length > CUSTOM_RULE_MAX_LINE) continue;
      for (const { rule, regex } of matching) {
        if (budget.now() > deadline) return { findings, notice: outOfTime(budget.ms, files.length - index) };
        if (!regex.matcher(text).find()) continue;
        findings.push({
          ruleId: rule.id,
          severity: rule.severity ?? 'medium',
          path: file.filename,
          line,
          message: rule.message,
        });
      }
    }
  }
  return { findings };
}

function outOfTime(ms: number, left: number): string {
  return (
    `⚠️ \`.nectr.yml\`'s \`custom_rules\` took more than ${ms / 1000} s and were stopped: ` +
    `${left} file${left === 1 ? '' : 's'} of this review ${left === 1 ? 'was' : 'were'} not fully checked by them.`
  );
}

/**
 * An engine's result as the repository's configuration has it: the team's custom rules added (not
 * on a summary-only review), `rules:` overrides applied, ignored files listed, and a broken file's
 * notice on top.
 */
export function withRepoConfig(
  loaded: Pick<LoadedConfig, 'config' | 'notice' | 'sources'>,
  scope: { files: ReviewFile[]; ignored: ReviewResult['skipped'] },
  result: ReviewResult,
): ReviewResult {
  const { config } = loaded;
  const custom: CustomRulesRun =
    scope.files.length > config.review.max_files ? { findings: [] } : customRuleFindings(config, scope.files);
  return {
    ...result,
    findings: applyRules(config, [...result.findings, ...custom.findings], loaded.sources),
    skipped: [...scope.ignored, ...result.skipped],
    // A broken file's line first: the body opens with it.
    notice:
      [loaded.notice, unknownRulesLine(loaded), custom.notice, result.notice].filter(Boolean).join('\n\n') || undefined,
  };
}

/**
 * The ids a model engine's findings carry (`model/anthropic`, `model/openai`): `model/<its name>`,
 * one for each engine REVIEW_ENGINE may name but the builtin one.
 */
const MODEL_RULE_IDS = new Set(REVIEW_ENGINES.filter((engine) => engine !== 'builtin').map((name) => `model/${name}`));

/**
 * Ids under `rules:` that no finding can carry: not a builtin rule (or an old name of one), not a
 * model engine's (`model/anthropic`, `model/openai`), not one of the file's custom rules. A typo
 * there (`model/antropic` too) silently changes nothing, so the review says so.
 */
export function unknownRuleIds(config: Pick<RepoConfig, 'rules' | 'custom_rules'>): string[] {
  const custom = new Set(config.custom_rules.map((rule) => rule.id));
  return Object.keys(config.rules).filter((id) => !canonicalRuleId(id) && !MODEL_RULE_IDS.has(id) && !custom.has(id));
}

/** The line naming the repository's unknown rule ids (the operator's own are its to fix, not the team's). */
function unknownRulesLine(loaded: Pick<LoadedConfig, 'config' | 'sources'>): string | undefined {
  const ids = unknownRuleIds(loaded.config).filter((id) => loaded.sources[`rules.${id}`] === 'repository');
  if (ids.length === 0) return undefined;
  return (
    `⚠️ \`.nectr.yml\` sets ${ids.map((id) => `\`rules.${id}\``).join(', ')}, but Nectr has no such rule, ` +
    `so ${ids.length === 1 ? 'it changes' : 'they change'} nothing (Nectr's README lists the rule ids).`
  );
}
