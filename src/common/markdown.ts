// Text that Nectr posts to GitHub but does not write itself (file names, a model's words, a
// repository's config keys, a command's line) is made to stay text: it never opens an HTML
// comment, where a forged `nectr-finding` marker would count as posted (hiding a finding from
// every later review and grading it for the commit status), never opens any other HTML tag, never
// leaves its code span, and never @-mentions anyone.

/** Breaks `<!--` with a zero-width space: shown the same, but no longer an HTML comment or a marker. */
const noComment = (text: string): string => text.replaceAll('<!--', '<!\u200B--');

/**
 * Breaks every other HTML tag the same way (`<script>` is shown as text). A `<script>`, `<style>`
 * or `<textarea>` left open, even mid-line, makes everything after it in the comment (the findings
 * listed in a review body, the footer) the element's raw text, which GitHub's sanitizer drops with
 * the element; an open `<details>` folds it away.
 */
const noTags = (text: string): string => text.replace(/<(?=[A-Za-z/?]|!(?!\u200B))/g, '<\u200B');

// `s`: the info string may hold any character (`.` stopping at a U+2028 made the run backtrack).
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/s;

/**
 * Closes a fenced code block `text` leaves open, and ends `text` with a line break when its last
 * line is a fence: an open fence runs to the end of the whole comment (CommonMark), taking the rest
 * of the review (the lists, the footer) into a code block and showing the hidden markers as text,
 * and a closing fence followed by a marker on its line does not close.
 */
function closeFences(text: string): string {
  let open: string | undefined;
  let last: 'fence' | 'text' = 'text';
  // CommonMark's line endings: a model's `\r\n` ends a fence's line too.
  for (const line of text.split(/\r\n|\r|\n/)) {
    const fence = FENCE.exec(line);
    last = fence ? 'fence' : 'text';
    if (!fence) continue;
    const [, run, rest] = fence;
    if (open === undefined) {
      if (run.startsWith('`') && rest.includes('`'))
        last = 'text'; // an inline code span, not a fence
      else open = run;
    } else if (run[0] === open[0] && run.length >= open.length && !rest.trim()) open = undefined;
    else last = 'text';
  }
  if (open !== undefined) return `${text}\n${open}\n`;
  return last === 'fence' ? `${text}\n` : text;
}

/**
 * Prose from a finding, a summary or a reason: no HTML comment or tag, no @-mention (a zero-width
 * space after `<` or `@`), no code block left open.
 */
export function prose(text: string): string {
  return closeFences(noTags(noComment(text)).replace(/@(?=[A-Za-z0-9])/g, '@\u200B'));
}

/** `text` as one code span, whatever backticks or line breaks it holds (CommonMark's rule: a longer fence). */
export function codeSpan(text: string): string {
  const flat = noComment(text.replace(/[\r\n]+/g, ' '));
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
