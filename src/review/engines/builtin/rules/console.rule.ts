import { inTrailingComment, isCommentLine, isJsLike, isTestPath } from '../paths.js';
import type { ReviewFile } from '../../review-engine.js';
import { type AddedLine, LineRule } from '../rule.js';

const CONSOLE = /(?<![\w$.])console\.(log|debug|info|warn|error|trace|dir|table)\s*\(/;
// CLIs and one-off scripts talk to the terminal on purpose (benchmarks print their results, samples
// and demos show what a call returns); tests print while debugging harmlessly.
const EXEMPT =
  /(?:^|\/)(?:scripts|bin|examples?|samples?|demos?|bench|benchmarks?|__benchmarks__)\/|(?:^|\/)[^/]*\.config\.[cm]?[jt]s$|(?:^|\/)bench(?:mark)?\.[cm]?[jt]s$/;

export const consoleExempt = (path: string): boolean => isTestPath(path) || EXEMPT.test(path);

export class ConsoleRule extends LineRule {
  readonly id = 'debug/console';
  readonly severity = 'low' as const;
  readonly description = 'A `console` call left in application code (not tests or scripts).';
  override readonly syntaxChecked = true;
  override readonly readsCode = true;

  protected override appliesTo(path: string): boolean {
    return isJsLike(path) && !consoleExempt(path);
  }

  protected inspect(text: string, _file: ReviewFile, _added: AddedLine[], code?: string): string | undefined {
    const match = isCommentLine(text) ? null : CONSOLE.exec(code ?? text);
    // `save(); // console.log(x)` in a .vue file (the line rules' turf) is a comment, not a call.
    const call = match && !inTrailingComment(text, match.index) ? match[1] : undefined;
    if (!call) return undefined;
    return `\`console.${call}\` left in application code. Remove it, or use the logger so output is levelled.`;
  }
}
