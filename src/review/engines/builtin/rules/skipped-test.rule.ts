import { isJsLike, isPython } from '../paths.js';
import type { ReviewFile } from '../../review-engine.js';
import { LineRule } from '../rule.js';

// At most three links before `.skip` (`test.concurrent.skip`): unbounded is quadratic on long lines.
const JS_SKIPPED =
  /(?<![\w$.])(?:describe|it|test|context|suite|specify)(?:\.\w+){0,3}(?:\.skip\b|\[\s*["'`]skip["'`]\s*\])|^\s*(?:xdescribe|xit|xcontext|xtest|xspecify)\s*\(/;
// `\b` keeps `skipif`/`skipIf` out: conditional skips (platform, version) are deliberate.
const PY_SKIPPED = /@pytest\.mark\.skip\b|@unittest\.skip\b/;

export class SkippedTestRule extends LineRule {
  readonly id = 'tests/skipped';
  readonly severity = 'low' as const;
  readonly description = 'A test disabled with `.skip`, `xit`, `xdescribe` or `@pytest.mark.skip`.';
  override readonly syntaxChecked = true;

  protected override appliesTo(path: string): boolean {
    return isJsLike(path) || isPython(path);
  }

  // Each language's own forms: in Python `test.skip` or `it.skip` is an attribute like any other.
  protected inspect(text: string, file: ReviewFile): string | undefined {
    if (!(isPython(file.filename) ? PY_SKIPPED : JS_SKIPPED).test(text)) return undefined;
    return 'Test disabled. Fix or delete it, or link the issue that tracks re-enabling it.';
  }
}
