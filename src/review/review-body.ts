// Rendering a review as one GitHub review: a summary body, inline comments on lines the diff
// shows, a hidden marker per finding (its fingerprint) and one naming the event, so a retried job
// never posts twice and later reviews never repeat a finding.
import { ellipsize } from '../common/ellipsize.js';
import { codeSpan, prose } from '../common/markdown.js';
import { commentableLines } from './diff/patch.js';
import type { ReviewFile, ReviewResult, Severity } from './engines/review-engine.js';
import { findingMarker, type MarkedFinding } from './findings/fingerprint.js';
import { countBySeverity } from './findings/open-findings.js';

export const MAX_INLINE_COMMENTS = 50;
/** GitHub answers 422 to a review whose body is longer (its limit for any comment's body). */
export const MAX_BODY_CHARS = 65_536;
/** The longest notice or model summary a review quotes, so the lists keep most of the room. */
const MAX_PROSE_CHARS = 10_000;
const ICON: Record<Severity, string> = { critical: '🛑', high: '🔴', medium: '🟠', low: '🟡', info: '🔵' };

export function reviewMarker(eventId: string): string {
  return `<!-- nectr-review:event=${eventId} -->`;
}

export interface InlineComment {
  path: string;
  line: number;
  side: 'RIGHT';
  body: string;
}

export interface RenderedReview {
  body: string;
  comments: InlineComment[];
}

/** Everything a review says. */
export interface ReviewContent {
  eventId: string;
  engine: string;
  headSha: string;
  /** The head the review started from (an incremental review), or null for the whole PR. */
  base: string | null;
  /** Why a push was reviewed whole rather than its range (a force-push, `.nectr.yml` changed, …). */
  whole?: string;
  result: Pick<ReviewResult, 'summary' | 'skipped' | 'notice'>;
  /** Findings not posted on this PR before. */
  findings: MarkedFinding[];
  earlier: { open: number; resolved: number };
}

/** Inline where GitHub accepts a comment; everything else is listed in the body. */
export function renderReview(content: ReviewContent, files: ReviewFile[], inline = true): RenderedReview {
  const lines = new Map(files.map((f) => [f.filename, commentableLines(f.patch)]));
  const comments: InlineComment[] = [];
  const listed: MarkedFinding[] = [];
  for (const finding of content.findings) {
    const onDiff = finding.line !== undefined && lines.get(finding.path)?.has(finding.line);
    if (inline && onDiff && comments.length < MAX_INLINE_COMMENTS) {
      comments.push({
        path: finding.path,
        line: finding.line!,
        side: 'RIGHT',
        body: `${label(finding)}\n\n${prose(finding.message)}\n\n${findingMarker(finding)}`,
      });
    } else {
      listed.push(finding);
    }
  }
  const { notice } = content.result;
  // The notice quotes `.nectr.yml` (its keys, YAML errors): the repository's text, kept as text too.
  const parts = [...(notice ? [prose(clip(notice))] : []), '### 🍯 Nectr review', summary(content)];
  // The builtin engine's summary only counts findings, already-posted ones included: ours says it better.
  if (content.engine !== 'builtin' && content.result.summary) parts.push(prose(clip(content.result.summary)));
  const footer = `<sub>Reviewed ${short(content.headSha)} with the ${content.engine} engine.</sub>\n${reviewMarker(content.eventId)}`;
  // GitHub refuses the whole review (422) when its body is too long: the lists get what room is left.
  // 400 characters are kept for the lists' headings and their "…and N more" lines.
  let room = MAX_BODY_CHARS - [...parts, footer].join('\n\n').length - 400;
  const { skipped } = content.result;
  if (listed.length) {
    const heading = inline ? 'Findings not on a changed line' : 'Findings';
    const items = listed.map((f) => `- ${label(f)} ${where(f)}: ${prose(f.message)} ${findingMarker(f)}`);
    const shown = fit(items, room);
    room -= shown.text.length;
    parts.push(`**${heading}**\n\n${shown.text}${more(items.length - shown.count, 'finding')}`);
  }
  if (skipped.length) {
    const items = skipped.map((s) => `- ${codeSpan(s.path)}: ${prose(s.reason)}`);
    const shown = fit(items, room);
    parts.push(
      `<details><summary>${skipped.length} file(s) not reviewed</summary>\n\n${shown.text}${more(items.length - shown.count, 'file')}\n</details>`,
    );
  }
  parts.push(footer);
  return { body: parts.join('\n\n'), comments };
}

function summary(c: ReviewContent): string {
  const scope = c.base
    ? `the commits since the last review, \`${short(c.base)}..${short(c.headSha)}\``
    : `the whole pull request at \`${short(c.headSha)}\`${c.whole ? `: ${prose(c.whole)}` : ''}`;
  const found = c.findings.length
    ? `${c.findings.length} (${countBySeverity(c.findings)})`
    : c.earlier.open + c.earlier.resolved === 0
      ? 'none. No issues found.'
      : 'none.';
  const lines = [`**Reviewed:** ${scope}.`, `**New findings:** ${found}`];
  if (c.earlier.open + c.earlier.resolved > 0)
    lines.push(`**Earlier findings:** ${c.earlier.open} still open, ${c.earlier.resolved} resolved.`);
  return lines.join('  \n');
}

const short = (sha: string): string => sha.slice(0, 7);

/** The leading items, one a line, that fit in `room` characters. */
function fit(items: string[], room: number): { text: string; count: number } {
  let length = 0;
  let count = 0;
  for (const item of items) {
    const next = length + (count ? 1 : 0) + item.length;
    if (next > room) break;
    length = next;
    count++;
  }
  return { text: items.slice(0, count).join('\n'), count };
}

/** The line saying how many items did not fit, if any. */
function more(count: number, what: string): string {
  if (count === 0) return '';
  return `\n- …and ${count} more ${what}${count === 1 ? '' : 's'} not listed: GitHub takes at most ${MAX_BODY_CHARS} characters in a review.`;
}

/** A notice or a model's summary, cut at MAX_PROSE_CHARS. */
function clip(text: string): string {
  return text.length <= MAX_PROSE_CHARS ? text : ellipsize(text, MAX_PROSE_CHARS);
}

function label(f: MarkedFinding): string {
  return `${ICON[f.severity]} **${f.severity}** \`${f.ruleId}\``;
}

function where(f: MarkedFinding): string {
  if (!f.path) return '(pull request)';
  return codeSpan(f.line === undefined ? f.path : `${f.path}:${f.line}`);
}
