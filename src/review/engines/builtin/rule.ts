// What a builtin rule is. Rules are classes so the loader can find them by dropping a file into
// `rules/`; extending `Rule` is the marker it looks for.
import type { DiffLine } from '../../diff/patch.js';
import { isPlaceholder } from './secrets/placeholder.js';
import type { Finding, ReviewFile, ReviewInput, Severity } from '../review-engine.js';

export type { DiffLine };

/** An added line as the engine hands it to the rules. */
export interface AddedLine extends DiffLine {
  /**
   * The line's code: the inside of strings and comments blanked, strings and comments that span
   * lines included (see `code-view.ts`). Absent where the engine does not know the language.
   */
  code?: string;
}

/** `Finding.path` of a note about the whole pull request rather than one file. */
export const PULL_REQUEST_PATH = '';

export abstract class Rule {
  /** Stable, namespaced id, e.g. `secrets/aws-access-key`; must be unique across rules. */
  abstract readonly id: string;
  abstract readonly severity: Severity;
  /** One sentence on what the rule catches, for docs and listings. */
  abstract readonly description: string;
  /**
   * ESLint reports this rule on the syntax tree of JS/TS files (see `syntax/`): the line rule then
   * looks only at files that could not be read or parsed.
   */
  readonly syntaxChecked: boolean = false;
  /**
   * The rule reads `AddedLine.code`: where the patch cannot say what a line is inside of and the
   * rule fires there, the engine reads the file to know. Rules that read only the text do not ask.
   */
  readonly readsCode: boolean = false;

  /** Findings on one file's added lines (the engine never calls this for skipped files). */
  check(_file: ReviewFile, _added: AddedLine[]): Finding[] {
    return [];
  }

  /** Findings about the pull request as a whole (size, shape); `files` excludes skipped ones. */
  checkPullRequest(_input: ReviewInput): Finding[] {
    return [];
  }

  protected finding(path: string, line: number | undefined, message: string): Finding {
    return { ruleId: this.id, severity: this.severity, path, ...(line === undefined ? {} : { line }), message };
  }
}

/** A rule that judges added lines one at a time: at most one finding per line. */
export abstract class LineRule extends Rule {
  /** Whether the rule looks at this file at all, by path. */
  protected appliesTo(_path: string): boolean {
    return true;
  }

  /**
   * The message for a line that breaks the rule, or undefined when it is fine. `code` is the line's
   * `AddedLine.code`: rules that look for code read it, so a docstring's prose is not taken for a call.
   */
  protected abstract inspect(
    text: string,
    file: ReviewFile,
    added: AddedLine[],
    code: string | undefined,
  ): string | undefined;

  override check(file: ReviewFile, added: AddedLine[]): Finding[] {
    if (!this.appliesTo(file.filename)) return [];
    const findings: Finding[] = [];
    for (const { line, text, code } of added) {
      const message = this.inspect(text, file, added, code);
      if (message !== undefined) findings.push(this.finding(file.filename, line, message));
    }
    return findings;
  }
}

/**
 * A line rule for one family of tokens: the first match of `pattern` on a line that is not a
 * placeholder is reported masked, with what to do about it.
 */
export abstract class TokenRule extends LineRule {
  protected abstract readonly pattern: RegExp;
  /** What the token is, e.g. `Anthropic key`. */
  protected abstract readonly label: string;
  /** Where to revoke it, e.g. `Revoke it in the Anthropic console`. */
  protected abstract readonly revoke: string;

  protected inspect(text: string): string | undefined {
    const token = this.pattern.exec(text)?.[0];
    if (!token || isPlaceholder(token)) return undefined;
    return (
      `${this.label} \`${mask(token)}\` committed. ${this.revoke}, then read it from the environment ` +
      'or a secrets manager.'
    );
  }
}

/** Enough of a secret to find it again, never enough to use it: at most 4 chars, a quarter. */
export function mask(secret: string): string {
  return `${secret.slice(0, Math.min(4, Math.floor(secret.length / 4)))}…`;
}
