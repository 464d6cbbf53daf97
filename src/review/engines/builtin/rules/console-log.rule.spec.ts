import { describe, expect, it } from '@jest/globals';
import { ConsoleLogRule } from './console-log.rule.js';

const check = (text: string, filename = 'src/users/users.service.ts') =>
  new ConsoleLogRule().check({ filename, status: 'modified', additions: 1, deletions: 0 }, [{ line: 30, text }]);

describe('debug/console-log', () => {
  it('flags console.log and console.debug in application code', () => {
    expect(check("console.log('user', user);")).toEqual([
      expect.objectContaining({
        ruleId: 'debug/console-log',
        severity: 'low',
        line: 30,
        message: expect.stringContaining('`console.log`'),
      }),
    ]);
    expect(check('  if (x) console.debug(x);', 'web/app.jsx')[0]?.message).toContain('`console.debug`');
  });

  it('leaves other console methods, comments and look-alikes alone', () => {
    expect(check("console.error('failed', err);")).toEqual([]);
    expect(check("console.warn('deprecated');")).toEqual([]);
    expect(check("// console.log('user', user);")).toEqual([]);
    expect(check("myconsole.log('x');")).toEqual([]);
  });

  it.each([
    'src/users/users.service.spec.ts',
    'test/app.e2e-spec.ts',
    'src/__tests__/users.ts',
    'tests/helpers.js',
    'scripts/seed.ts',
    'bin/cli.js',
    'jest.config.js',
    'src/users/notes.py',
  ])('skips %s', (filename) => {
    expect(check("console.log('x');", filename)).toEqual([]);
  });
});
