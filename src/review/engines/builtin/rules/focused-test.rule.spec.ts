import { describe, expect, it } from '@jest/globals';
import { FocusedTestRule } from './focused-test.rule.js';

const check = (text: string, filename = 'src/app.spec.ts') =>
  new FocusedTestRule().check({ filename, status: 'modified', additions: 1, deletions: 0 }, [{ line: 5, text }]);

describe('tests/focused', () => {
  it('takes time linear in the line', () => {
    const started = performance.now();
    expect(check('it.'.repeat(20_000), 'src/app.vue')).toEqual([]);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it.each([
    "describe.only('app', () => {",
    "  it.only('works', async () => {",
    "test.only('works', () => {});",
    "context.only('when empty', () => {",
    "test.describe.only('playwright', () => {",
    "fdescribe('app', () => {",
    "  fit('works', () => {",
  ])('flags %s', (text) => {
    expect(check(text)).toEqual([expect.objectContaining({ ruleId: 'tests/focused', severity: 'medium', line: 5 })]);
  });

  it.each([
    "describe('app', () => {",
    'const only = items.only(1);',
    'model.fit(x, y)',
    'const size = fit(box, frame);',
    "it.skip('later', () => {});",
  ])('ignores %s', (text) => {
    expect(check(text)).toEqual([]);
  });

  // .vue and .svelte files are read line by line (ESLint does not parse them): property access
  // that ends like a focused test is not one.
  it.each([
    '  if (config.test.only) run(filter);',
    '  const one = cases.it.only;',
    'const { only } = $store.test.only;',
  ])('ignores %s in a component', (text) => {
    expect(check(text, 'src/App.vue')).toEqual([]);
  });

  it('flags a focused test in a component', () => {
    expect(check("  describe.only('App', () => {", 'src/App.svelte')).toHaveLength(1);
  });

  it('looks at JavaScript/TypeScript only', () => {
    expect(check("describe.only('x')", 'docs/testing.md')).toEqual([]);
  });
});
