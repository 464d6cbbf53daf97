// A finding's identity across pushes: rule id + path + the flagged line's text with whitespace
// collapsed, never the line number (it moves when lines are added above). It travels in a hidden
// HTML comment on each inline comment (and each finding listed in a review body), with the rule,
// path and severity, so a later review can tell what Nectr already said and whether it still holds.
import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../engines/review-engine.js';

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** A finding with its fingerprint. */
export interface MarkedFinding extends Finding {
  fingerprint: string;
}

/** What a marker says of a finding Nectr posted earlier. */
export interface PostedFinding {
  fingerprint: string;
  ruleId: string;
  path: string;
  severity: Severity;
  /** Whether the finding was the first comment of an inline review thread (it can be resolved). */
  inline: boolean;
}

export const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Hashed, so the marker never repeats a flagged line's text (a leaked key, say) in plain. */
export function fingerprint(ruleId: string, path: string, lineText: string): string {
  return createHash('sha256')
    .update(`${ruleId}\0${path}\0${collapse(lineText)}`)
    .digest('hex')
    .slice(0, 24);
}

export function findingMarker(f: MarkedFinding): string {
  const fields = [`fp=${f.fingerprint}`, `rule=${enc(f.ruleId)}`, `path=${enc(f.path)}`, `sev=${f.severity}`];
  return `<!-- nectr-finding ${fields.join(' ')} -->`;
}

const MARKER = /<!-- nectr-finding fp=([0-9a-f]{24}) rule=(\S*) path=(\S*) sev=([a-z]+) -->/g;

/** Every finding marker in a comment or review body. */
export function parseFindingMarkers(body: string | null | undefined, inline: boolean): PostedFinding[] {
  const found: PostedFinding[] = [];
  for (const m of (body ?? '').matchAll(MARKER)) {
    const severity = m[4] as Severity;
    if (!SEVERITIES.includes(severity)) continue;
    const ruleId = dec(m[2]);
    const path = dec(m[3]);
    if (ruleId === null || path === null) continue;
    found.push({ fingerprint: m[1], ruleId, path, severity, inline });
  }
  return found;
}

/** Whether severity `s` is at or above `threshold`. */
export const atLeast = (s: Severity, threshold: Severity): boolean =>
  SEVERITIES.indexOf(s) <= SEVERITIES.indexOf(threshold);

export { SEVERITIES };

// Percent-encoding keeps spaces and `-->` of odd paths from breaking the comment.
const enc = (value: string): string => encodeURIComponent(value);
function dec(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
