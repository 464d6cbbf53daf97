import { describe, expect, it } from '@jest/globals';
import { BuiltinEngine } from '../../src/review/engines/builtin/builtin.engine.js';
import { CATEGORY_RULES, CLAIMED, GOALS, loadCorpus, scoreCorpus } from './evaluate.js';

describe('the builtin engine on the labelled corpus (test/corpus/)', () => {
  it('every case says where it comes from: repository, commit, path and case', () => {
    const cases = loadCorpus();
    expect(cases.length).toBeGreaterThan(1000);
    for (const c of cases) {
      expect(c.source.repo).toMatch(/^[\w-]+\/[\w.-]+$/);
      expect(c.source.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(c.source.path).not.toBe('');
      expect(CATEGORY_RULES[c.category]).toBeDefined();
    }
  });

  it(`meets the goals in every claimed category (recall >= ${GOALS.recall * 100} %, false alarms <= ${GOALS.falseAlarmRate * 100} %)`, async () => {
    const scores = await scoreCorpus(await BuiltinEngine.create());
    const claimed = scores.filter((s) => CLAIMED.includes(s.category));
    expect(claimed.map((s) => s.category).sort()).toEqual([...CLAIMED].sort());
    for (const s of claimed) {
      expect({ category: s.category, recallMet: s.recall >= GOALS.recall }).toEqual({
        category: s.category,
        recallMet: true,
      });
      expect({ category: s.category, alarmsMet: s.falseAlarmRate <= GOALS.falseAlarmRate }).toEqual({
        category: s.category,
        alarmsMet: true,
      });
    }
  }, 120_000);
});
