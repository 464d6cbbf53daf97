import { describe, expect, it } from '@jest/globals';
import type { ReviewFile, ReviewInput } from '../../review-engine.js';
import { MAX_CHANGED_LINES, MAX_FILES, OversizedPrRule } from './oversized-pr.rule.js';

const file = (i: number, additions: number, deletions = 0): ReviewFile => ({
  filename: `src/f${i}.ts`,
  status: 'modified',
  additions,
  deletions,
  patch: '@@ -1 +1 @@\n+x',
});
const pr = (files: ReviewFile[]): ReviewInput => ({
  repo: 'o/r',
  number: 1,
  title: 't',
  body: null,
  headSha: 'abc',
  files,
});
const check = (files: ReviewFile[]) => new OversizedPrRule().checkPullRequest(pr(files));

describe('pr/oversized', () => {
  it('notes a pull request over the changed-lines limit, counting deletions', () => {
    const findings = check([file(1, 600), file(2, 0, MAX_CHANGED_LINES - 599)]);
    expect(findings).toEqual([
      {
        ruleId: 'pr/oversized',
        severity: 'info',
        path: '',
        message: expect.stringContaining('1001 changed lines in 2 files'),
      },
    ]);
  });

  it('notes a pull request over the file limit', () => {
    const files = Array.from({ length: MAX_FILES + 1 }, (_, i) => file(i, 1));
    expect(check(files)).toHaveLength(1);
  });

  it('stays quiet at the limits', () => {
    expect(check([file(1, MAX_CHANGED_LINES - 10, 10)])).toEqual([]);
    expect(check(Array.from({ length: MAX_FILES }, (_, i) => file(i, 1)))).toEqual([]);
  });

  it('has nothing to say about a single file', () => {
    expect(new OversizedPrRule().check(file(1, 5000), [])).toEqual([]);
  });
});
