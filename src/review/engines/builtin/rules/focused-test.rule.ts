import { isJsLike } from '../paths.js';
import { LineRule } from '../rule.js';

// `.only` anywhere in a test call's chain (`describe.only(`, `test.concurrent.only(`,
// `describe.only.each(`, `it["only"](`); the f-prefixed Jasmine forms only as a statement, so a
// `fit(` helper call or `model.fit(` is not mistaken for one. At most three links before `.only`:
// an unbounded `(?:\.\w+)*` made a long `it.it.it…` line quadratic.
const FOCUSED =
  /(?<![\w$.])(?:describe|it|test|context|suite|specify)(?:\.\w+){0,3}(?:\.only\b|\[\s*["'`]only["'`]\s*\])|^\s*(?:fdescribe|fit|fcontext)\s*\(/;

export class FocusedTestRule extends LineRule {
  readonly id = 'tests/focused';
  readonly severity = 'medium' as const;
  readonly description = 'A focused test (`.only`, `fdescribe`, `fit`) that silently skips the rest of the suite.';
  override readonly syntaxChecked = true;

  protected override appliesTo(path: string): boolean {
    return isJsLike(path);
  }

  protected inspect(text: string): string | undefined {
    if (!FOCUSED.test(text)) return undefined;
    return 'Focused test: every other test in this file stops running in CI. Remove the `.only`/`f` prefix.';
  }
}
