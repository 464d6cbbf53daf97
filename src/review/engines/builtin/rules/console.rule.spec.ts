import { describe, expect, it } from '@jest/globals';
import { ConsoleRule } from './console.rule.js';

const check = (text: string, filename = 'src/users/users.service.ts') =>
  new ConsoleRule().check({ filename, status: 'modified', additions: 1, deletions: 0 }, [{ line: 30, text }]);

describe('debug/console', () => {
  it('flags console.log and console.debug in application code', () => {
    expect(check("console.log('user', user);")).toEqual([
      expect.objectContaining({
        ruleId: 'debug/console',
        severity: 'low',
        line: 30,
        message: expect.stringContaining('`console.log`'),
      }),
    ]);
    expect(check('  if (x) console.debug(x);', 'web/app.jsx')[0]?.message).toContain('`console.debug`');
  });

  it('flags every console method, as no-console does', () => {
    expect(check("console.error('failed', err);")).toHaveLength(1);
    expect(check("console.warn('deprecated');")).toHaveLength(1);
  });

  it('leaves comments and look-alikes alone', () => {
    expect(check("// console.log('user', user);")).toEqual([]);
    expect(check("myconsole.log('x');")).toEqual([]);
    expect(check("  save(); // console.log('saved')", 'src/App.vue')).toEqual([]);
    expect(check("  save(); /* console.log('saved') */", 'src/App.vue')).toEqual([]);
    expect(check("fetch('http://localhost/api'); console.log('x');", 'src/App.vue')).toHaveLength(1);
    expect(check("const sep = '//'; console.log(sep);", 'src/App.vue')).toHaveLength(1);
    expect(check("init(); /* dev */ console.log('x');", 'src/App.vue')).toHaveLength(1);
  });

  it.each([
    'src/users/users.service.spec.ts',
    'test/app.e2e-spec.ts',
    'src/__tests__/users.ts',
    'tests/helpers.js',
    'test.ts',
    'packages/levenshtein/test.js',
    'scripts/seed.ts',
    'bin/cli.js',
    'jest.config.js',
    'benchmarks/utils/runbench.js',
    'bench/bench-multipart-fields.js',
    'packages/core/__benchmarks__/resolve.js',
    'benchmark.js',
    'samples/customise-verify-body.js',
    'src/users/notes.py',
  ])('skips %s', (filename) => {
    expect(check("console.log('x');", filename)).toEqual([]);
  });

  it('still flags application code whose name only contains benchmark, sample or test', () => {
    expect(check("console.log('x');", 'src/benchmark-results.ts')).toHaveLength(1);
    expect(check("console.log('x');", 'src/samples.ts')).toHaveLength(1);
    expect(check("console.log('x');", 'src/latest.ts')).toHaveLength(1);
  });
});
