// Rendering an engine's result as one GitHub review: a summary body, inline comments on lines the
// diff shows, and a hidden marker naming the event so a retried job never posts twice.
import { commentableLines } from './diff/patch.js';
import type { Finding, ReviewFile, ReviewResult, Severity } from './engines/review-engine.js';

export const MAX_INLINE_COMMENTS = 50;
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

/** Inline where GitHub accepts a comment; everything else is listed in the body. */
export function renderReview(
  eventId: string,
  engine: string,
  headSha: string,
  result: ReviewResult,
  files: ReviewFile[],
  inline = true,
): RenderedReview {
  const lines = new Map(files.map((f) => [f.filename, commentableLines(f.patch)]));
  const comments: InlineComment[] = [];
  const listed: Finding[] = [];
  for (const finding of result.findings) {
    const onDiff = finding.line !== undefined && lines.get(finding.path)?.has(finding.line);
    if (inline && onDiff && comments.length < MAX_INLINE_COMMENTS) {
      comments.push({
        path: finding.path,
        line: finding.line!,
        side: 'RIGHT',
        body: `${label(finding)}\n\n${finding.message}`,
      });
    } else {
      listed.push(finding);
    }
  }
  const parts = [...(result.notice ? [result.notice] : []), '### 🍯 Nectr review', result.summary];
  if (listed.length) {
    const heading = inline ? 'Findings not on a changed line' : 'Findings';
    parts.push(`**${heading}**\n\n${listed.map((f) => `- ${label(f)} ${where(f)}: ${f.message}`).join('\n')}`);
  }
  if (result.skipped.length) {
    parts.push(
      `<details><summary>${result.skipped.length} file(s) not reviewed</summary>\n\n${result.skipped.map((s) => `- \`${s.path}\`: ${s.reason}`).join('\n')}\n</details>`,
    );
  }
  parts.push(`<sub>Reviewed ${headSha.slice(0, 7)} with the ${engine} engine.</sub>\n${reviewMarker(eventId)}`);
  return { body: parts.join('\n\n'), comments };
}

function label(f: Finding): string {
  return `${ICON[f.severity]} **${f.severity}** \`${f.ruleId}\``;
}

function where(f: Finding): string {
  if (!f.path) return '(pull request)';
  return f.line === undefined ? `\`${f.path}\`` : `\`${f.path}:${f.line}\``;
}
