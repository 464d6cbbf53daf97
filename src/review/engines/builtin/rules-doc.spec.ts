import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { canonicalRuleId, RULE_ALIASES, RULE_IDS } from './catalogue.js';
import { loadRules } from './load-rules.js';
import { BEGIN_MARK, END_MARK, renderRules, withRules } from './rules-doc.js';

describe('the README list of builtin rules', () => {
  it('is what the rules say (run npm run readme:rules when this fails)', async () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    const block = renderRules(await loadRules());
    expect(readme).toContain(block);
  });

  it('lists every rule id once, between its markers', async () => {
    const block = renderRules(await loadRules());
    for (const id of RULE_IDS) expect(block.split(`\`${id}\``)).toHaveLength(2);
    expect(withRules('# Nectr\n', block)).toBe(`# Nectr\n\n${block}\n`);
    expect(withRules(`a\n${BEGIN_MARK}\nold\n${END_MARK}\nb`, block)).toBe(`a\n${block}\nb`);
  });
});

describe('rule ids for .nectr.yml', () => {
  it('keeps renamed ids working as aliases, and knows no other ids', () => {
    expect(canonicalRuleId('debug/console-log')).toBe('debug/console');
    expect(canonicalRuleId('secrets/github-token')).toBe('secrets/github-token');
    expect(canonicalRuleId('secrets/nope')).toBeUndefined();
    for (const target of Object.values(RULE_ALIASES)) expect(RULE_IDS).toContain(target);
  });
});
