import { isCommentLine, isJsLike, isTestPath } from '../paths.js';
import { LineRule } from '../rule.js';

const CONSOLE = /(?<![\w$.])console\.(log|debug)\s*\(/;
// CLIs and one-off scripts talk to the terminal on purpose; tests print while debugging harmlessly.
const EXEMPT = /(?:^|\/)(?:scripts|bin|examples?)\/|(?:^|\/)[^/]*\.config\.[cm]?[jt]s$/;

export class ConsoleLogRule extends LineRule {
  readonly id = 'debug/console-log';
  readonly severity = 'low' as const;
  readonly description = '`console.log`/`console.debug` left in application code (not tests or scripts).';

  protected override appliesTo(path: string): boolean {
    return isJsLike(path) && !isTestPath(path) && !EXEMPT.test(path);
  }

  protected inspect(text: string): string | undefined {
    const call = isCommentLine(text) ? undefined : CONSOLE.exec(text)?.[1];
    if (!call) return undefined;
    return `\`console.${call}\` left in application code. Remove it, or use the logger so output is levelled.`;
  }
}
