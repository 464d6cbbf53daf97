import { blankStrings, isJsLike, isPython } from '../paths.js';
import type { ReviewFile } from '../../review-engine.js';
import { type AddedLine, LineRule } from '../rule.js';

// At most three links before `.skip` (`test.concurrent.skip`): unbounded is quadratic on long lines.
const JS_SKIPPED =
  /(?<![\w$.])(?:describe|it|test|context|suite|specify)(?:\.\w+){0,3}(?:\.skip\b|\[\s*["'`]skip["'`]\s*\])|^\s*(?:xdescribe|xit|xcontext|xtest|xspecify)\s*\(/;
// `\b` keeps `skipif`/`skipIf` out: conditional skips (platform, version) are deliberate. pytest's
// mark skips wherever it is applied, not only as a decorator: `pytestmark = pytest.mark.skip(…)`
// skips every test of the module, `pytest.param(…, marks=pytest.mark.skip)` one case.
const PY_SKIPPED = /\bpytest\.mark\.skip\b|@unittest\.skip\b/;

export class SkippedTestRule extends LineRule {
  readonly id = 'tests/skipped';
  readonly severity = 'low' as const;
  readonly description = 'A test disabled with `.skip`, `xit`, `xdescribe` or `@pytest.mark.skip`.';
  override readonly syntaxChecked = true;
  override readonly readsCode = true;

  protected override appliesTo(path: string): boolean {
    return isJsLike(path) || isPython(path);
  }

  // Each language's own forms: in Python `test.skip` or `it.skip` is an attribute like any other.
  // In Python the code is read (a decorator is never in a string); the JS forms include `it['skip']`.
  protected inspect(text: string, file: ReviewFile, _added: AddedLine[], code?: string): string | undefined {
    const skipped = isPython(file.filename) ? PY_SKIPPED.test(code ?? blankStrings(text)) : JS_SKIPPED.test(text);
    if (!skipped) return undefined;
    return 'Test disabled. Fix or delete it, or link the issue that tracks re-enabling it.';
  }
}
