// Path and line classifiers shared by rules, so every rule agrees on what a test or a comment is.

const JS_LIKE = /\.(?:[cm]?[jt]sx?|vue|svelte)$/i;
const PYTHON = /\.pyi?$/i;
const MARKUP = /\.(?:md|markdown|mdx|rst|adoc|asciidoc|txt|textile|rdoc)$/i;
// A project's prose files, often left without an extension (reST or Markdown underlines their
// headings with `=======`). Upper case only: a lower-case `install` or `news` is usually a script.
const PROSE_FILE = /(?:^|\/)(?:README|CHANGES|CHANGELOG|HISTORY|NEWS|RELEASES|AUTHORS|CONTRIBUTORS|NOTICE|THANKS)$/;
// License texts rule off their sections with `=======` lines: `LICENSE`, `LICENSE-MIT`,
// `LICENSE.APACHE2`, `COPYING`, and the notices bundlers write beside a bundle (`vendor.js.LICENSE`).
const LICENSE_FILE = /(?:^|\/)(?:(?:UN)?LICEN[CS]E|COPYING|THIRD[-_]PARTY[-_]NOTICES)(?:[.-][A-Z0-9]+)*$|\.LICEN[CS]E$/;
// A package's lone `test.js` (or `test.ts`, `spec.mjs`) is its test suite too.
const TEST_FILE =
  /(?:\.|_)(?:spec|test|e2e-spec)\.[^/]+$|(?:^|\/)test_[^/]+\.py$|_test\.(?:go|py)$|(?:^|\/)(?:tests?|spec)\.[cm]?[jt]sx?$/i;
const TEST_DIR = /(?:^|\/)(?:test|tests|__tests__|__mocks__|e2e|spec)\//i;

export const isJsLike = (path: string): boolean => JS_LIKE.test(path);
export const isPython = (path: string): boolean => PYTHON.test(path);
export const isMarkup = (path: string): boolean =>
  MARKUP.test(path) || PROSE_FILE.test(path) || LICENSE_FILE.test(path);

/** Test code: spec/test files and anything under a test folder. */
export const isTestPath = (path: string): boolean => TEST_FILE.test(path) || TEST_DIR.test(path);

/**
 * Whether `index` of `text` falls in a comment that follows code on the line: after a `//` that
 * opens a comment (at the line's start or after whitespace, so not the one of `http://`), or inside
 * a `/* …` not closed before it.
 */
export function inTrailingComment(text: string, index: number): boolean {
  const before = text.slice(0, index);
  const open = before.lastIndexOf('/*');
  return /(?:^|\s)\/\//.test(before) || (open !== -1 && !before.includes('*/', open + 2));
}

/** A line that is only a comment in C-like, shell/Python or SQL syntax. */
export const isCommentLine = (text: string): boolean => /^\s*(?:\/\/|\/\*|\*|#|--)/.test(text);

/**
 * `text` with the inside of its quoted strings (`'…'`, `"…"`, `` `…` ``, backslash escapes
 * honoured) replaced by spaces, so a pattern for code does not match words a string only mentions.
 * A string still open at the end of the line is blanked to the end. Linear in the line.
 */
export function blankStrings(text: string): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (!quote) {
      out += c;
      if (c === '"' || c === "'" || c === '`') quote = c;
    } else if (c === '\\') {
      out += i + 1 < text.length ? '  ' : ' ';
      i++;
    } else if (c === quote) {
      out += c;
      quote = '';
    } else out += ' ';
  }
  return out;
}
