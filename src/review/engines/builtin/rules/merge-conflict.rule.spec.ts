import { describe, expect, it } from '@jest/globals';
import { MergeConflictRule } from './merge-conflict.rule.js';

const check = (filename: string, ...texts: string[]) =>
  new MergeConflictRule().check(
    { filename, status: 'modified', additions: texts.length, deletions: 0 },
    texts.map((text, i) => ({ line: 10 + i, text })),
  );
const lines = (findings: ReturnType<typeof check>) => findings.map((f) => f.line);

describe('conflict/marker', () => {
  it('flags every marker of a conflict, diff3 base included', () => {
    const findings = check(
      'src/app.ts',
      '<<<<<<< HEAD',
      'a();',
      '||||||| merged common ancestors',
      '=======',
      'b();',
      '>>>>>>> feature/x',
    );
    expect(lines(findings)).toEqual([10, 12, 13, 15]);
    expect(findings[0]).toMatchObject({ ruleId: 'conflict/marker', severity: 'high', path: 'src/app.ts' });
  });

  it('flags a lone separator in code', () => {
    expect(lines(check('src/app.py', 'x = 1', '======='))).toEqual([11]);
  });

  it('leaves the rules between the sections of a license text alone unless a real marker is added too', () => {
    const rule = '='.repeat(71);
    expect(check('LICENSE', 'MIT License', rule)).toEqual([]);
    expect(check('LICENSE.LIBCXX', 'University of Illinois/NCSA', rule)).toEqual([]);
    expect(check('lib/vendor.js.LICENSE', 'License: MIT', rule)).toEqual([]);
    expect(lines(check('COPYING', '<<<<<<< HEAD', 'GPL-2.0', '=======', 'GPL-3.0', '>>>>>>> main'))).toEqual([
      10, 12, 14,
    ]);
    expect(lines(check('src/license.ts', 'x();', '======='))).toEqual([11]);
  });

  it('leaves a Markdown/reST heading underline alone unless a real marker is added too', () => {
    expect(check('README.md', 'Install', '=======')).toEqual([]);
    expect(check('docs/index.rst', 'Usage', '=======')).toEqual([]);
    expect(check('CHANGES', 'Release 2.0', '=======')).toEqual([]);
    expect(check('pkg/README', 'Install', '=======')).toEqual([]);
    expect(lines(check('NEWS', '<<<<<<< HEAD', '2.0', '=======', '2.1', '>>>>>>> main'))).toEqual([10, 12, 14]);
    expect(lines(check('README.md', '<<<<<<< HEAD', 'Install', '=======', 'Setup', '>>>>>>> main'))).toEqual([
      10, 12, 14,
    ]);
  });

  it('leaves a heading underline in a docstring or a template literal alone unless a real marker is added too', () => {
    const withCode = (filename: string, texts: string[], codes: string[]) =>
      new MergeConflictRule().check(
        { filename, status: 'modified', additions: texts.length, deletions: 0 },
        texts.map((text, i) => ({ line: 10 + i, text, code: codes[i] })),
      );
    const blank = (text: string) => ' '.repeat(text.length);
    expect(
      withCode('app/__init__.py', ['Calculator', '=========='], [blank('Calculator'), blank('==========')]),
    ).toEqual([]);
    expect(withCode('src/help.ts', ['Usage', '======='], [blank('Usage'), blank('=======')])).toEqual([]);
    const conflict = ['<<<<<<< HEAD', 'Calculator', '=======', 'Calc', '>>>>>>> main'];
    expect(lines(withCode('app/__init__.py', conflict, conflict.map(blank)))).toEqual([10, 12, 14]);
    // Outside a string the separator is code: a conflict whose side markers were already removed.
    expect(lines(withCode('app/calc.py', ['x = 1', '======='], ['x = 1', '=======']))).toEqual([11]);
  });

  it('ignores marker-like text that is not at the start of the line or shorter than seven', () => {
    expect(check('src/a.ts', '// <<<<<<< is a conflict marker', '======', '<<<<<<')).toEqual([]);
    expect(check('src/shift.ts', 'x <<<<<<< 2')).toEqual([]);
  });
});
