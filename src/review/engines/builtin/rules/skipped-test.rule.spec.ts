import { describe, expect, it } from '@jest/globals';
import { SkippedTestRule } from './skipped-test.rule.js';

const check = (text: string, filename = 'src/app.test.js') =>
  new SkippedTestRule().check({ filename, status: 'modified', additions: 1, deletions: 0 }, [{ line: 9, text }]);

describe('tests/skipped', () => {
  it('takes time linear in the line', () => {
    const started = performance.now();
    expect(check('it.'.repeat(20_000), 'src/app.vue')).toEqual([]);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it.each([
    ["it.skip('later', () => {});", 'src/app.test.js'],
    ["describe.skip('slow', () => {", 'src/app.test.js'],
    ["test.skip('flaky', async () => {", 'src/app.spec.ts'],
    ["xit('broken', () => {", 'src/app.spec.ts'],
    ["xdescribe('broken', () => {", 'src/app.spec.ts'],
    ['@pytest.mark.skip(reason="flaky")', 'tests/test_app.py'],
    ['@pytest.mark.skip', 'tests/test_app.py'],
    ['@unittest.skip("later")', 'tests/test_app.py'],
    ['pytestmark = pytest.mark.skip(reason="all tests still WIP")', 'tests/test_app.py'],
    ['pytestmark = [pytest.mark.slow, pytest.mark.skip]', 'tests/test_app.py'],
    ['    pytest.param(2, 3, marks=pytest.mark.skip),', 'tests/test_app.py'],
  ])('flags %s', (text, filename) => {
    expect(check(text, filename)).toEqual([
      expect.objectContaining({ ruleId: 'tests/skipped', severity: 'low', line: 9 }),
    ]);
  });

  it.each([
    ["it('works', () => {});", 'src/app.test.js'],
    ['@pytest.mark.skipif(sys.platform == "win32", reason="posix only")', 'tests/test_app.py'],
    ['@unittest.skipIf(not HAS_GPU, "needs a GPU")', 'tests/test_app.py'],
    ['const next = parser.skip(2);', 'src/parser.ts'],
    ['const xit = exit(1);', 'src/cli.ts'],
    ["it.skip('x')", 'README.md'],
    ['    if test.skip:', 'tools/run_suite.py'],
    ['print("use it.skip() to disable a test")', 'tools/lint_tests.py'],
    ['pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="posix only")', 'tests/test_app.py'],
    ['print("mark it with pytest.mark.skip")', 'tools/lint_tests.py'],
    ['  if (config.test.skip) return;', 'src/App.vue'],
    ['  const next = this.it.skip;', 'src/Player.svelte'],
  ])('ignores %s', (text, filename) => {
    expect(check(text, filename)).toEqual([]);
  });
});
