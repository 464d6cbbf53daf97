import { describe, expect, it } from '@jest/globals';
import type { ReviewFile } from '../review-engine.js';
import { buildPrompt, numberPatch, planChunks } from './prompt.js';

const file = (filename: string, patch?: string, status = 'modified'): ReviewFile => ({
  filename,
  status,
  additions: 1,
  deletions: 0,
  patch,
});
const lines = (n: number): string =>
  ['@@ -0,0 +1,' + n + ' @@', ...Array.from({ length: n }, (_, i) => `+line ${i}`)].join('\n');

describe('model prompt', () => {
  it('numbers the lines of the new file and leaves removed lines blank', () => {
    const patch = [
      '@@ -1,2 +1,2 @@',
      ' keep',
      '-old',
      '+new',
      '@@ -10 +10,2 @@ fn()',
      ' ctx',
      '+added',
      '\\ No newline at end of file',
    ].join('\n');
    expect(numberPatch(patch).split('\n')).toEqual([
      '@@ -1,2 +1,2 @@',
      '     1  keep',
      '       -old',
      '     2 +new',
      '@@ -10 +10,2 @@ fn()',
      '    10  ctx',
      '    11 +added',
      '       \\ No newline at end of file',
    ]);
  });

  it('skips lock files, minified and vendored files, removed files and files without a patch', () => {
    const files = [
      file('yarn.lock', lines(1)),
      file('web/app.min.js', lines(1)),
      file('vendor/lib/x.go', lines(1)),
      file('gone.ts', '@@ -1 +0,0 @@\n-x', 'removed'),
      file('logo.png'),
      file('src/ok.ts', lines(1)),
    ];
    const plan = planChunks(files, 1000);
    expect(plan.chunks.map((c) => c.map((f) => f.path))).toEqual([['src/ok.ts']]);
    expect(plan.skipped.map((s) => [s.path, s.reason])).toEqual([
      ['yarn.lock', 'lock file'],
      ['web/app.min.js', 'minified or generated file'],
      ['vendor/lib/x.go', 'vendored file'],
      ['gone.ts', 'file removed'],
      ['logo.png', 'no patch (binary or too large for GitHub to show)'],
    ]);
  });

  it('packs files into chunks within the budget, in order', () => {
    const plan = planChunks(
      [file('a', lines(10)), file('b', lines(10)), file('c', lines(10)), file('big', lines(100))],
      120,
    );
    expect(plan.chunks.map((c) => c.map((f) => f.path))).toEqual([['a', 'b'], ['c']]);
    expect(plan.chunks.flat().every((f) => f.tokens < 60)).toBe(true);
    expect(plan.skipped).toEqual([
      { path: 'big', reason: expect.stringMatching(/^patch too large for the model \(~\d+ tokens, budget 120\)$/) },
    ]);
  });

  it('truncates a huge description and says which part of the PR this is', () => {
    const [chunk] = planChunks([file('a.ts', lines(1))], 1000).chunks;
    const input = { repo: 'o/r', number: 3, title: 'T', body: 'd'.repeat(10_000), headSha: 'x', files: [] };
    const prompt = buildPrompt(input, chunk, 2, 3);
    expect(prompt).toContain('Pull request o/r#3: T');
    expect(prompt).toContain('[… truncated]');
    expect(prompt.length).toBeLessThan(5_000);
    expect(prompt).toContain('part 2 of 3');
    expect(buildPrompt({ ...input, body: null }, chunk, 1, 1)).toContain('Description:\n(none)');
  });
});
