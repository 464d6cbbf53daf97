import { blankStrings, isCommentLine, isJsLike, isPython } from '../paths.js';
import type { ReviewFile } from '../../review-engine.js';
import { type AddedLine, LineRule } from '../rule.js';

// Not a method (`redis.eval(`, `page.evaluate(`) nor part of a word (`medieval(`), and looked for
// outside string literals (`raise ValueError("never eval(input)")` runs nothing).
const EVAL = /(?<![\w$.])eval\s*\(|\bnew\s+Function\s*\(/;
// Defining a function or method named eval is no call: Python's `def eval(self, …):` (a model's or
// an interpreter's), a JS class's or object's `eval(expr) {`.
const DEFINITION = /\bdef\s+eval\s*\(|^\s*(?:async\s+)?eval\s*\([^)]*\)\s*\{/;

export class EvalRule extends LineRule {
  readonly id = 'security/eval';
  readonly severity = 'high' as const;
  readonly description = '`eval(` or `new Function(` in JavaScript/TypeScript/Python.';
  override readonly syntaxChecked = true;
  override readonly readsCode = true;

  protected override appliesTo(path: string): boolean {
    return isJsLike(path) || isPython(path);
  }

  protected inspect(text: string, _file: ReviewFile, _added: AddedLine[], code?: string): string | undefined {
    if (isCommentLine(text) || !EVAL.test((code ?? blankStrings(text)).replace(DEFINITION, ''))) return undefined;
    return (
      'Code built from a string is executed here: if any part of it can come from input, that is ' +
      'code injection. Parse data (JSON.parse, ast.literal_eval) or dispatch on known values instead.'
    );
  }
}
