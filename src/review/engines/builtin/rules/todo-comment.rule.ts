import type { ReviewFile } from '../../review-engine.js';
import { blankStrings, isMarkup, isPython } from '../paths.js';
import { type AddedLine, LineRule } from '../rule.js';

// The tag must follow a comment opener on the same line and stand as a word (`TODO:`, `fixme(ann)`,
// `XXX -`), so `"XXX-XXXX"` phone formats or a `todoList` are left alone. Any case: `// fixme` too.
// The tag is looked for after the first opener only (a tag after any opener is after the first):
// one `opener.*?tag` pattern rescans the rest of the line from every `#` or `//`, quadratic.
const OPENER = /\/\/|\/\*|^\s*\*|#|<!--|^\s*--|^\s*;/;
// Opening the comment, the tag counts in any case; further in, only in upper case: there a
// lower-case word is prose (`# this hack makes it work`) or a stand-in (`--enable-xxx`).
const LEADING_TAG = /^[\s*#/!-]*(todo|fixme|xxx|hack)\b(?![-\w])/i;
const TAG = /\b(TODO|FIXME|XXX|HACK)\b(?![-\w])/;

export class TodoCommentRule extends LineRule {
  readonly id = 'comments/todo';
  readonly severity = 'info' as const;
  readonly description = 'A TODO/FIXME/XXX/HACK comment added, in any case.';
  override readonly syntaxChecked = true;
  override readonly readsCode = true;

  // In prose a TODO is content (a checklist, a heading), not a reminder left in code.
  protected override appliesTo(path: string): boolean {
    return !isMarkup(path);
  }

  protected inspect(text: string, file: ReviewFile, _added: AddedLine[], code?: string): string | undefined {
    const comment = this.comment(text, file.filename, code) ?? '';
    const tag = LEADING_TAG.exec(comment)?.[1] ?? TAG.exec(comment)?.[1];
    if (!tag) return undefined;
    return `\`${tag}\` comment added. If it outlives this PR, track it in an issue and link it here.`;
  }

  /**
   * What follows the line's comment opener. In Python only a `#` of the code opens one: not one in a
   * string or a docstring (`"#fff"`), nor a URL's `//` (there `//` divides).
   */
  private comment(text: string, path: string, code: string | undefined): string | undefined {
    if (isPython(path)) {
      const hash = (code ?? blankStrings(text)).indexOf('#');
      return hash === -1 ? undefined : text.slice(hash + 1);
    }
    const opener = OPENER.exec(text);
    return opener ? text.slice(opener.index + opener[0].length) : undefined;
  }
}
