import { isMarkup } from '../paths.js';
import { LineRule } from '../rule.js';

// The tag must follow a comment opener on the same line and stand as a word (`TODO:`, `fixme(ann)`,
// `XXX -`), so `"XXX-XXXX"` phone formats or a `todoList` are left alone. Any case: `// fixme` too.
// The tag is looked for after the first opener only (a tag after any opener is after the first):
// one `opener.*?tag` pattern rescans the rest of the line from every `#` or `//`, quadratic.
const OPENER = /\/\/|\/\*|^\s*\*|#|<!--|^\s*--|^\s*;/;
const TAG = /\b(todo|fixme|xxx|hack)\b(?![-\w])/i;

export class TodoCommentRule extends LineRule {
  readonly id = 'comments/todo';
  readonly severity = 'info' as const;
  readonly description = 'A TODO/FIXME/XXX/HACK comment added, in any case.';
  override readonly syntaxChecked = true;

  // In prose a TODO is content (a checklist, a heading), not a reminder left in code.
  protected override appliesTo(path: string): boolean {
    return !isMarkup(path);
  }

  protected inspect(text: string): string | undefined {
    const opener = OPENER.exec(text);
    const tag = opener && TAG.exec(text.slice(opener.index + opener[0].length))?.[1];
    if (!tag) return undefined;
    return `\`${tag}\` comment added. If it outlives this PR, track it in an issue and link it here.`;
  }
}
