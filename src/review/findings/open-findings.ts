// Which findings hold at a head, and what the commit status says about them.
import { addedLines, lineTexts } from '../diff/patch.js';
import type { Finding, ReviewFile, Severity } from '../engines/review-engine.js';
import { atLeast, fingerprint, SEVERITIES, type MarkedFinding, type PostedFinding } from './fingerprint.js';

export type FailOn = Severity | 'never';
export const DEFAULT_FAIL_ON: FailOn = 'high';

/**
 * Fingerprints `findings`, taking each flagged line's text from the pull request's patches at the
 * head (`files`), else from `extra` (the compare range's patches, which number lines the same way).
 */
export function markFindings(findings: Finding[], files: ReviewFile[], extra: ReviewFile[] = []): MarkedFinding[] {
  const texts = new Map<string, Map<number, string>>();
  const textOf = (path: string, line: number): string => {
    for (const source of [files, extra]) {
      const key = `${source === files ? 'pr' : 'range'}:${path}`;
      if (!texts.has(key)) texts.set(key, lineTexts(source.find((f) => f.filename === path)?.patch));
      const text = texts.get(key)!.get(line);
      if (text !== undefined) return text;
    }
    return '';
  };
  return findings.map((f) => ({
    ...f,
    fingerprint: fingerprint(f.ruleId, f.path, f.line === undefined ? '' : textOf(f.path, f.line)),
  }));
}

/** One entry per fingerprint; inline when any copy was an inline comment. */
export function uniqueFindings(posted: PostedFinding[]): PostedFinding[] {
  const byPrint = new Map<string, PostedFinding>();
  for (const f of posted) {
    const seen = byPrint.get(f.fingerprint);
    byPrint.set(f.fingerprint, seen ? { ...seen, inline: seen.inline || f.inline } : f);
  }
  return [...byPrint.values()];
}

/**
 * Splits earlier findings into those still open at the head (their line is still among the PR's
 * added lines) and those fixed. `complete` is false when GitHub listed only part of the PR's files
 * (its 3000-file cap): a file missing from the list then proves nothing. When a file shows no patch
 * (binary, or too large for GitHub) its findings are kept open: nothing shows they were fixed.
 * A finding about the whole pull request (no path) holds while this review finds it again
 * (`found`, the fingerprints it found); with no engine run at this head (`found` null) it stays open.
 */
export function splitOpen(
  earlier: PostedFinding[],
  files: ReviewFile[],
  complete: boolean,
  found: ReadonlySet<string> | null = null,
): { open: PostedFinding[]; fixed: PostedFinding[] } {
  const byPath = new Map(files.map((f) => [f.filename, f]));
  const printsCache = new Map<string, Set<string>>();
  const printsOf = (ruleId: string, file: ReviewFile): Set<string> => {
    const key = `${ruleId}\0${file.filename}`;
    let prints = printsCache.get(key);
    if (!prints) {
      prints = new Set(addedLines(file.patch).map((l) => fingerprint(ruleId, file.filename, l.text)));
      printsCache.set(key, prints);
    }
    return prints;
  };
  const open: PostedFinding[] = [];
  const fixed: PostedFinding[] = [];
  for (const f of uniqueFindings(earlier)) {
    const file = byPath.get(f.path);
    let holds: boolean;
    if (f.path === '') holds = found === null || found.has(f.fingerprint);
    else if (!file) holds = !complete;
    else if (f.fingerprint === fingerprint(f.ruleId, f.path, ''))
      holds = true; // about the file, which is still there
    else if (!file.patch) holds = true;
    else holds = printsOf(f.ruleId, file).has(f.fingerprint);
    (holds ? open : fixed).push(f);
  }
  return { open, fixed };
}

/** The `nectr` commit status for the findings open at a head. */
export function statusFor(
  open: Array<{ severity: Severity }>,
  failOn: FailOn = DEFAULT_FAIL_ON,
): { state: 'success' | 'failure'; description: string } {
  if (open.length === 0) return { state: 'success', description: 'No findings' };
  const serious = SEVERITIES.filter((s) => failOn !== 'never' && atLeast(s, failOn))
    .map((s) => [s, open.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0);
  const detail = serious.length ? ` (${serious.map(([s, n]) => `${n} ${s}`).join(', ')})` : '';
  return {
    state: serious.length ? 'failure' : 'success',
    description: `${open.length} open finding${open.length === 1 ? '' : 's'}${detail}`,
  };
}

/** `2 high, 1 low` */
export function countBySeverity(findings: Array<{ severity: Severity }>): string {
  return SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
}
