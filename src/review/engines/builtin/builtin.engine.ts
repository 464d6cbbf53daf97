// The `builtin` engine: deterministic checks, no configuration. Secrets through secretlint plus
// line rules over the added lines; JS/TS through ESLint on the file's syntax tree at the head
// (when the file can be read and parses), the line rules otherwise.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { addedLines, type DiffLine } from '../../diff/patch.js';
import type { Finding, ReviewEngine, ReviewFile, ReviewInput, ReviewResult, Severity } from '../review-engine.js';
import { codeView, type CodeView } from './code-view.js';
import { loadRules } from './load-rules.js';
import type { Rule } from './rule.js';
import { scanSecrets } from './secrets/secretlint.scanner.js';
import { skipReason } from './skip.js';
import { LINTED, lintJs, mayConcernSyntax } from './syntax/js-linter.js';

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
// A name-only guess says nothing a token-shaped finding on the same line has not said.
const GENERIC_SECRET = 'secrets/hardcoded-secret';

// Files in flight at once: their contents are fetched from GitHub while others are linted.
const CONCURRENT_FILES = 8;

/**
 * `fn` over `items`, at most `limit` at a time, results in input order. Each lane waits for the
 * event loop's next turn between two items: a file whose checks read nothing from GitHub settles
 * in microtasks only, and a long pull request would otherwise keep timers (Bull's lock renewal) and
 * sockets (/health, the next job) waiting until its last file.
 */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
      await nextTurn();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
const byLineThenRule = (a: Finding, b: Finding): number =>
  (a.line ?? 0) - (b.line ?? 0) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);

type Content = () => Promise<string | null>;

/** ESLint's findings on the added lines, or null when the file was not read or does not parse. */
async function syntaxFindings(file: ReviewFile, added: DiffLine[], read: Content | null): Promise<Finding[] | null> {
  if (!read || !LINTED.test(file.filename) || added.length === 0) return null;
  if (!mayConcernSyntax(added.map((l) => l.text).join('\n'))) return [];
  const content = await read();
  if (content === null) return null;
  return lintJs(file.filename, content, new Set(added.map((l) => l.line)));
}

/**
 * The line rules' findings. Where a hunk starts mid-file, whether a line is inside a string that
 * spans lines depends on lines the patch does not show: when a rule fires on such a line, the
 * file is read (at most once: the syntax checks share it) and the lines are read again through it.
 */
async function lineFindings(rules: Rule[], file: ReviewFile, added: DiffLine[], read: Content | null) {
  const run = (view: CodeView) => {
    const lines = added.map((l) => ({ ...l, code: view.code.get(l.line) }));
    return rules.flatMap((rule) => rule.check(file, lines));
  };
  const view = codeView(file.filename, file.patch);
  const findings = run(view);
  const readers = new Set(rules.filter((rule) => rule.readsCode).map((rule) => rule.id));
  const unsure = findings.some((f) => readers.has(f.ruleId) && f.line !== undefined && view.unsure.has(f.line));
  if (!read || !unsure) return findings;
  const content = await read();
  return content === null ? findings : run(codeView(file.filename, file.patch, content));
}

async function reviewFile(rules: Rule[], input: ReviewInput, file: ReviewFile): Promise<Finding[]> {
  const added = addedLines(file.patch);
  let content: Promise<string | null> | undefined;
  const read = input.readFile
    ? () => (content ??= input.readFile?.(file.filename).catch(() => null) ?? Promise.resolve(null))
    : null;
  const [syntax, secrets] = await Promise.all([syntaxFindings(file, added, read), scanSecrets(file.filename, added)]);
  const lineRules = syntax ? rules.filter((rule) => !rule.syntaxChecked) : rules;
  const all = [...(syntax ?? []), ...secrets, ...(await lineFindings(lineRules, file, added, read))];
  const seen = new Set<string>();
  const specific = new Set(
    all.filter((f) => f.ruleId.startsWith('secrets/') && f.ruleId !== GENERIC_SECRET).map((f) => f.line),
  );
  return all
    .filter((f) => {
      const key = `${f.ruleId}:${f.line}`;
      if (seen.has(key) || (f.ruleId === GENERIC_SECRET && specific.has(f.line))) return false;
      seen.add(key);
      return true;
    })
    .sort(byLineThenRule);
}

/**
 * Reviews `input` with `rules` and the scanners: findings come in file order, then line, then rule
 * id, followed by pull-request-level notes, so the same pull request always yields the same review.
 */
export async function runRules(rules: Rule[], input: ReviewInput): Promise<ReviewResult> {
  const skipped: ReviewResult['skipped'] = [];
  const reviewed = input.files.filter((file) => {
    const reason = skipReason(file);
    if (reason) skipped.push({ path: file.filename, reason });
    return !reason;
  });
  const perFile = await mapLimit(reviewed, CONCURRENT_FILES, (file) => reviewFile(rules, input, file));
  const findings = perFile.flat();
  // On a push, `files` is the pushed range; the pull request's size is that of all its files.
  const whole = input.pullRequestFiles ? input.pullRequestFiles.filter((file) => !skipReason(file)) : reviewed;
  const pullRequest = { ...input, files: whole };
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
