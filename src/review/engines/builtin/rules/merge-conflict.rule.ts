import type { ReviewFile } from '../../review-engine.js';
import { isMarkup } from '../paths.js';
import { type AddedLine, LineRule } from '../rule.js';

// Git writes `<<<<<<< ours`, `||||||| base` (diff3), `=======`, `>>>>>>> theirs`, seven long unless
// `conflict-marker-size` says more (nested conflicts in merges of merges).
const SIDE_MARKER = /^(?:<{7,}|>{7,}|\|{7,})(?: |$)/;
const SEPARATOR = /^={7,}\s*$/;

export class MergeConflictRule extends LineRule {
  readonly id = 'conflict/marker';
  readonly severity = 'high' as const;
  readonly description = 'A merge-conflict marker (seven or more `<`, `=`, `|` or `>`) left in the file.';
  override readonly readsCode = true;

  protected inspect(text: string, file: ReviewFile, added: AddedLine[], code?: string): string | undefined {
    if (SIDE_MARKER.test(text)) return this.message(text);
    if (!SEPARATOR.test(text)) return undefined;
    // In Markdown/reST `=======` underlines a heading, also in a docstring or a template literal
    // (then its code is blank): there it counts only beside a real marker.
    const heading = isMarkup(file.filename) || (code !== undefined && !SEPARATOR.test(code));
    if (heading && !added.some((other) => SIDE_MARKER.test(other.text))) return undefined;
    return this.message(text);
  }

  private message(text: string): string {
    return (
      `Merge-conflict marker \`${text.trim().split(' ')[0]}\` left in the file. Resolve the conflict ` +
      'and remove the markers.'
    );
  }
}
