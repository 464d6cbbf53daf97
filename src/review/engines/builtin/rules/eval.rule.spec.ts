import { describe, expect, it } from '@jest/globals';
import { EvalRule } from './eval.rule.js';

const check = (text: string, filename = 'src/calc.ts') =>
  new EvalRule().check({ filename, status: 'modified', additions: 1, deletions: 0 }, [{ line: 3, text }]);

describe('security/eval', () => {
  it.each([
    ['const result = eval(expression);', 'src/calc.ts'],
    ['return eval (code)', 'src/calc.js'],
    ["const fn = new Function('a', 'b', body);", 'src/calc.ts'],
    ['value = eval(request.args["expr"])', 'app/calc.py'],
    ['    def eval(self): return eval(self.source)', 'app/expr.py'],
    ['log("running"); result = eval(f"{a} + {b}")', 'app/calc.py'],
  ])('flags %s', (text, filename) => {
    expect(check(text, filename)).toEqual([
      expect.objectContaining({ ruleId: 'security/eval', severity: 'high', line: 3 }),
    ]);
  });

  it.each([
    ['const title = await page.evaluate(() => document.title);', 'src/e2e.ts'],
    ['const era = medieval(year);', 'src/history.ts'],
    ['await redis.eval(script, 1, key);', 'src/lock.ts'],
    ['value = ast.literal_eval(text)', 'app/calc.py'],
    ['const evaluation = evaluate(x);', 'src/calc.ts'],
    ['// never call eval(input) here', 'src/calc.ts'],
    ['# eval(x) is unsafe', 'app/calc.py'],
    ['const fn = Function.prototype;', 'src/calc.ts'],
    ['eval(x)', 'lib/calc.rb'],
    ['    def eval(self, loader):', 'app/trainer.py'],
    ['async def eval(ctx, expr):', 'app/bot.py'],
    ['  eval(expr) {', 'src/Calculator.vue'],
    ['    raise ValueError("never eval(input) here")', 'app/calc.py'],
    ["  <p>{{ t('Avoid eval( in templates') }}</p>", 'src/Help.vue'],
  ])('ignores %s in %s', (text, filename) => {
    expect(check(text, filename)).toEqual([]);
  });
});
