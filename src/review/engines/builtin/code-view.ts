// What of an added line is code: Python's triple-quoted strings and JS/TS template literals and
// block comments span lines, and a line inside one (a docstring's prose, a template's text) holds
// no code even when it reads like some (`Never call eval(x)`). Whether a line starts inside one
// depends on the lines before it: known through a whole file when its content is read, and through
// a hunk that starts at the file's first line (a new file); a hunk that starts mid-file could start
// inside a string, so there each line is read on its own, as if nothing were open before it.
import { lineTexts } from '../../diff/patch.js';
import { isJsLike, isPython } from './paths.js';

type Lang = 'python' | 'js';

const HTML_LIKE = /\.(?:vue|svelte)$/i;
const SCRIPT_TAG = /<script\b/i;
const SCRIPT_END = /<\/script\s*>/i;
// Where a `/` starts a regular expression rather than dividing: after an operator or an opening
// bracket, at the start of the line, or after a keyword that takes an expression.
const REGEX_AFTER = /(?:[(,=:[!&|?{};+\-*%<>~^]|\b(?:return|typeof|case|in|of|delete|void|throw|new|yield|await))$/;

/** Whether a `/` after `out` (the line's code so far, a character each) starts a regular expression. */
function regexAfter(out: string[]): boolean {
  let end = out.length;
  while (end > 0 && /\s/.test(out[end - 1])) end--;
  return end === 0 || REGEX_AFTER.test(out.slice(Math.max(0, end - 12), end).join(''));
}

/**
 * Whether the line opens a `<script …>` tag. Found without `<script\b[^>]*>`, which backtracked for
 * seconds on a long line of `<script`s with no `>`: if the first `<script` has no `>` after it, no
 * later one has.
 */
function opensScript(text: string): boolean {
  const tag = SCRIPT_TAG.exec(text);
  return tag !== null && text.includes('>', tag.index);
}

const languageOf = (path: string): Lang | undefined => (isPython(path) ? 'python' : isJsLike(path) ? 'js' : undefined);

/** Where the regular expression starting at `start` (its `/`) ends: past its closing `/`, or the line's end. */
function regexEnd(text: string, start: number): number {
  let inClass = false;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) return i + 1;
  }
  return text.length;
}

/**
 * What a line leaves open for the next. Python: `"""` or `'''`. JS: a stack of frames, innermost last:
 * `T` a template literal's text, `E` a `${…}` in it (code), `B` a `{…}` inside that code, `C` a
 * block comment. Empty when nothing is.
 */
type Open = string;

// Past this many frames a JS line is left as read so far: only a crafted line nests that deep.
const MAX_DEPTH = 64;

/**
 * `text` read from `open`: the inside of its strings and comments replaced by spaces (delimiters
 * and length kept; a template's `${…}` is code), and what is still open at its end. A `'…'` or
 * `"…"` string ends with its line. Linear in the line.
 */
export function scanLine(lang: Lang, text: string, open: Open): { code: string; open: Open } {
  // A character each, so looking back (is a `/` a regular expression?) costs no copy of the line.
  const out: string[] = [];
  let i = 0;
  const keep = (end: number) => {
    for (; i < end; i++) out.push(text[i]);
  };
  const blank = (end: number) => {
    for (end = Math.min(end, text.length); i < end; i++) out.push(' ');
  };
  /** A `'…'` or `"…"` string from `i`, closed or not by the line's end. */
  const quoted = (quote: string) => {
    keep(i + 1);
    while (i < text.length && text[i] !== quote) blank(i + (text[i] === '\\' ? 2 : 1));
    keep(Math.min(i + 1, text.length));
  };
  if (lang === 'python') {
    while (i < text.length) {
      if (open) {
        if (text[i] === '\\') blank(i + 2);
        else if (text.startsWith(open, i)) {
          keep(i + 3);
          open = '';
        } else blank(i + 1);
        continue;
      }
      const c = text[i];
      const triple = text.slice(i, i + 3);
      if (c === '#') {
        keep(i + 1);
        blank(text.length);
      } else if (triple === '"""' || triple === "'''") {
        keep(i + 3);
        open = triple;
      } else if (c === '"' || c === "'") quoted(c);
      else keep(i + 1);
    }
    return { code: out.join(''), open };
  }
  const stack = [...open];
  while (i < text.length) {
    const top = stack.at(-1);
    const c = text[i];
    if (top === 'C') {
      const end = text.indexOf('*/', i);
      blank(end === -1 ? text.length : end);
      if (end !== -1) {
        keep(i + 2);
        stack.pop();
      }
    } else if (top === 'T') {
      if (c === '\\') blank(i + 2);
      else if (c === '`') {
        keep(i + 1);
        stack.pop();
      } else if (c === '$' && text[i + 1] === '{' && stack.length < MAX_DEPTH) {
        keep(i + 2);
        stack.push('E');
      } else blank(i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      keep(i + 2);
      blank(text.length);
    } else if (c === '/' && text[i + 1] === '*') {
      keep(i + 2);
      stack.push('C');
    } else if (c === '`' && stack.length < MAX_DEPTH) {
      keep(i + 1);
      stack.push('T');
    } else if (c === '"' || c === "'") quoted(c);
    else if (c === '/' && regexAfter(out)) {
      // Kept as written (a pattern is code), but a quote or `/*` in it opens nothing.
      keep(regexEnd(text, i));
    } else {
      if (c === '{' && top !== undefined && stack.length < MAX_DEPTH) stack.push('B');
      else if (c === '}' && top !== undefined) stack.pop();
      keep(i + 1);
    }
  }
  return { code: out.join(''), open: stack.join('') };
}

export interface CodeView {
  /** Each line's code (see `scanLine`), by new-file line number; absent where it is not known. */
  code: Map<number, string>;
  /** Lines read on their own because what was open before them is not known. */
  unsure: Set<number>;
}

/**
 * The code of the lines `patch` shows of `path`, read through the file's `content` when given
 * (and matching the patch), else through the hunks. Empty for languages it does not know, and in
 * a .vue or .svelte file outside its `<script>` blocks (markup, where a quote or a backtick is text).
 */
export function codeView(path: string, patch: string | undefined, content?: string | null): CodeView {
  const view: CodeView = { code: new Map(), unsure: new Set() };
  const lang = languageOf(path);
  if (!lang) return view;
  const shown = lineTexts(patch);
  const lines = content?.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const whole = lines !== undefined && [...shown].every(([line, text]) => lines[line - 1] === text);
  const html = HTML_LIKE.test(path);
  let open: Open = '';
  let script = !html;
  let known = false;
  let previous = 0;
  const read = (line: number, text: string, record: boolean) => {
    if (html && !script) {
      script = opensScript(text) && !SCRIPT_END.test(text);
      open = '';
      return;
    }
    if (html && SCRIPT_END.test(text)) {
      script = false;
      open = '';
      return;
    }
    const scanned = scanLine(lang, text, known ? open : '');
    open = scanned.open;
    if (!record) return;
    view.code.set(line, scanned.code);
    if (!known) view.unsure.add(line);
  };
  if (whole) {
    known = true;
    lines.forEach((text, index) => read(index + 1, text, shown.has(index + 1)));
    return view;
  }
  for (const [line, text] of shown) {
    if (line === 1) known = true;
    else if (line !== previous + 1) {
      // A gap: what the hidden lines open or close is not known.
      known = false;
      open = '';
      script = !html;
    }
    previous = line;
    read(line, text, true);
  }
  return view;
}
