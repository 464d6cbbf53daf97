import { isCommentLine, isJsLike } from '../paths.js';
import type { ReviewFile } from '../../review-engine.js';
import { type AddedLine, LineRule } from '../rule.js';

const DEBUGGER = /(?:^|[;{}]\s*)debugger\s*(?:;|$)/;

export class DebuggerRule extends LineRule {
  readonly id = 'debug/debugger';
  readonly severity = 'medium' as const;
  readonly description = 'A `debugger` statement left in JavaScript/TypeScript (tests included).';
  override readonly syntaxChecked = true;
  override readonly readsCode = true;

  protected override appliesTo(path: string): boolean {
    return isJsLike(path);
  }

  protected inspect(text: string, _file: ReviewFile, _added: AddedLine[], code?: string): string | undefined {
    if (isCommentLine(text) || !DEBUGGER.test((code ?? text).trim())) return undefined;
    return '`debugger` statement left in: it pauses any run with a debugger or devtools attached. Remove it.';
  }
}
