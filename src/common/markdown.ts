// Text that Nectr posts to GitHub but does not write itself (file names, a model's words, a
// repository's config keys, a command's line) is made to stay text: it never opens an HTML
// comment, where a forged `nectr-finding` marker would count as posted (hiding a finding from
// every later review and grading it for the commit status), never leaves its code span, and never
// @-mentions anyone.

/** Breaks `<!--` with a zero-width space: shown the same, but no longer an HTML comment or a marker. */
const noComment = (text: string): string => text.replaceAll('<!--', '<!\u200B--');

/** Prose from a finding, a summary or a reason: no HTML comment, no @-mention (a zero-width space after `@`). */
export function prose(text: string): string {
  return noComment(text).replace(/@(?=[A-Za-z0-9])/g, '@\u200B');
}

/** `text` as one code span, whatever backticks or line breaks it holds (CommonMark's rule: a longer fence). */
export function codeSpan(text: string): string {
  const flat = noComment(text.replace(/[\r\n]+/g, ' '));
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
