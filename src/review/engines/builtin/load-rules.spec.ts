import { describe, expect, it } from '@jest/globals';
import { LINE_RULE_IDS } from './catalogue.js';
import { collectRules, isRuleFile, loadRules } from './load-rules.js';
import { Rule } from './rule.js';

class A extends Rule {
  readonly id = 'x/a';
  readonly severity = 'low' as const;
  readonly description = 'a';
}
class B extends Rule {
  readonly id = 'x/b';
  readonly severity = 'info' as const;
  readonly description = 'b';
}

describe('rule discovery', () => {
  it('finds every rule in rules/, sorted by id', async () => {
    const ids = (await loadRules()).map((rule) => rule.id);
    expect(ids).toEqual([...LINE_RULE_IDS]);
  });

  it('loads rule sources, never specs, declarations or source maps', () => {
    expect(isRuleFile('eval.rule.ts', '.ts')).toBe(true);
    expect(isRuleFile('eval.rule.js', '.js')).toBe(true);
    expect(isRuleFile('eval.rule.js', '.ts')).toBe(false);
    expect(isRuleFile('eval.rule.spec.ts', '.ts')).toBe(false);
    expect(isRuleFile('eval.rule.d.ts', '.ts')).toBe(false);
    expect(isRuleFile('eval.rule.js.map', '.js')).toBe(false);
  });

  it('instantiates every exported Rule class and ignores other exports', () => {
    const rules = collectRules([{ file: 'ab.rule.ts', exports: { B, A, LIMIT: 3, helper: () => 1 } }]);
    expect(rules.map((rule) => rule.id)).toEqual(['x/a', 'x/b']);
  });

  it('refuses two rules with one id, naming both', () => {
    const modules = [
      { file: 'a.rule.ts', exports: { A } },
      { file: 'again.rule.ts', exports: { Again: A } },
    ];
    expect(() => collectRules(modules)).toThrow(
      'Rule id "x/a" is used by both A in rules/a.rule.ts and Again in rules/again.rule.ts',
    );
  });

  it('refuses a rule file without a rule, and a rule without an id', () => {
    expect(() => collectRules([{ file: 'empty.rule.ts', exports: { LIMIT: 3 } }])).toThrow(
      'rules/empty.rule.ts exports no class',
    );
    abstract class NoId extends Rule {}
    expect(() => collectRules([{ file: 'no-id.rule.ts', exports: { NoId } }])).toThrow(
      'NoId in rules/no-id.rule.ts has no id',
    );
  });
});
