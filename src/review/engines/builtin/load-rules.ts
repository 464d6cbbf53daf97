// Rule discovery: teams add a rule by dropping a `*.rule.ts` file into `rules/`, with its id in
// catalogue.ts's LINE_RULE_IDS (what `.nectr.yml` knows; load-rules.spec.ts checks the two agree)
// and the README's list regenerated (docs/architecture.md, "A builtin rule"). Compiled by tsc the
// same folder holds `*.rule.js`; under jest it holds the `.ts` sources and jest's ESM runtime
// transforms whatever `import()` loads, so we look for files with this module's own extension
// (never both, so a stray copy cannot load a rule twice).
import { readdirSync } from 'node:fs';
import { Rule } from './rule.js';

const SEVERITIES = new Set(['critical', 'high', 'medium', 'low', 'info']);
const OWN_EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** What one rule module exported, keyed by the file it came from (for error messages). */
export interface RuleModule {
  file: string;
  exports: Record<string, unknown>;
}

export function isRuleFile(name: string, ext = OWN_EXT): boolean {
  return name.endsWith(`.rule${ext}`) && !name.endsWith('.d.ts');
}

function isRuleClass(value: unknown): value is new () => Rule {
  return typeof value === 'function' && value.prototype instanceof Rule;
}

/** Instantiates every exported Rule class; one file may hold several. Sorted by id. */
export function collectRules(modules: RuleModule[]): Rule[] {
  const byId = new Map<string, string>();
  const rules: Rule[] = [];
  for (const { file, exports } of modules) {
    const classes = Object.entries(exports).filter(([, value]) => isRuleClass(value));
    if (classes.length === 0)
      throw new Error(`rules/${file} exports no class extending Rule (keep abstract helpers outside rules/)`);
    for (const [name, RuleClass] of classes as Array<[string, new () => Rule]>) {
      const rule = new RuleClass();
      const where = `${name} in rules/${file}`;
      if (typeof rule.id !== 'string' || !rule.id) throw new Error(`${where} has no id`);
      if (!SEVERITIES.has(rule.severity)) throw new Error(`${where} has an unknown severity "${rule.severity}"`);
      const other = byId.get(rule.id);
      if (other) throw new Error(`Rule id "${rule.id}" is used by both ${other} and ${where}`);
      byId.set(rule.id, where);
      rules.push(rule);
    }
  }
  return rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Loads every rule in the `rules/` folder beside this file. */
export async function loadRules(dir: URL = new URL('./rules/', import.meta.url)): Promise<Rule[]> {
  const files = readdirSync(dir)
    .filter((name) => isRuleFile(name))
    .sort();
  const modules = await Promise.all(
    files.map(async (file) => ({ file, exports: (await import(new URL(file, dir).href)) as Record<string, unknown> })),
  );
  return collectRules(modules);
}
