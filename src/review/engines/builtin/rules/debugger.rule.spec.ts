import { describe, expect, it } from '@jest/globals';
import { DebuggerRule } from './debugger.rule.js';

const check = (text: string, filename = 'src/app.ts') =>
  new DebuggerRule().check({ filename, status: 'modified', additions: 1, deletions: 0 }, [{ line: 2, text }]);

describe('debug/debugger', () => {
  it.each(['debugger;', '    debugger', 'if (x) { debugger; }'])('flags %s', (text) => {
    expect(check(text)).toEqual([expect.objectContaining({ ruleId: 'debug/debugger', severity: 'medium', line: 2 })]);
  });

  it('flags test files too: a leftover debugger is never wanted', () => {
    expect(check('debugger;', 'src/app.spec.ts')).toHaveLength(1);
  });

  it.each(['// debugger;', 'const debuggerEnabled = true;', "log('attach a debugger;')", 'startDebugger();'])(
    'ignores %s',
    (text) => {
      expect(check(text)).toEqual([]);
    },
  );

  it('looks at JavaScript/TypeScript only', () => {
    expect(check('debugger;', 'notes.md')).toEqual([]);
    expect(check('debugger', 'app.py')).toEqual([]);
  });
});
