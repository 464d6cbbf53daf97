// The model of a review history: a pull request's commits and trees, the `.nectr.yml` in force,
// and what REVIEW.md says must hold at a head (which findings are open, the status they give).
import { createHash } from 'node:crypto';
import { LINE } from '../patches.js';
import type { FakeTree } from '../fake-github-commits.js';

type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
const ORDER: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** The pool's lines that the builtin engine flags, with the rule and its default severity. */
export const FLAGGED: ReadonlyArray<{ text: string; ruleId: string; severity: Severity }> = [
  { text: LINE.A, ruleId: 'secrets/aws-access-key', severity: 'critical' },
  { text: LINE.B, ruleId: 'security/tls-verification-disabled', severity: 'high' },
  { text: LINE.C, ruleId: 'debug/console', severity: 'low' },
  { text: LINE.D, ruleId: 'debug/debugger', severity: 'medium' },
  // The same finding as LINE.D: whitespace is collapsed in a fingerprint.
  { text: `  ${LINE.D}`, ruleId: 'debug/debugger', severity: 'medium' },
];
export const HARMLESS = ['export {};', 'export const one = 1;', 'export const two = 2;', '// a note'];
export const LINE_POOL = [...FLAGGED.map((f) => f.text), ...HARMLESS];
export const PATHS = ['src/a.ts', 'src/b.ts', 'src/c.ts'];

/** The `.nectr.yml` variants a history switches between (undefined: no file). */
export const CONFIGS: ReadonlyArray<{ name: string; text?: string }> = [
  { name: 'none' },
  { name: 'console-off', text: 'rules:\n  debug/console: off\n' },
  { name: 'ignore-c', text: 'paths:\n  ignore: ["src/c.ts"]\n' },
  { name: 'fail-on-medium', text: 'status:\n  fail_on: medium\n' },
  { name: 'debugger-high', text: 'rules:\n  debug/debugger: high\n' },
];

export interface ModelConfig {
  off: Set<string>;
  ignored: Set<string>;
  failOn: Severity;
  severity: Map<string, Severity>;
}

export function modelConfig(name: string): ModelConfig {
  const config: ModelConfig = { off: new Set(), ignored: new Set(), failOn: 'high', severity: new Map() };
  if (name === 'console-off') config.off.add('debug/console');
  if (name === 'ignore-c') config.ignored.add('src/c.ts');
  if (name === 'fail-on-medium') config.failOn = 'medium';
  if (name === 'debugger-high') config.severity.set('debug/debugger', 'high');
  return config;
}

export const fingerprint = (ruleId: string, path: string, text: string) =>
  createHash('sha256')
    .update(`${ruleId}\0${path}\0${text.replace(/\s+/g, ' ').trim()}`)
    .digest('hex')
    .slice(0, 24);

export interface ModelFinding {
  fingerprint: string;
  ruleId: string;
  path: string;
  severity: Severity;
}

/** Every finding the builtin engine makes on a tree (all lines are added lines of the PR). */
export function allFindings(tree: FakeTree): ModelFinding[] {
  const found = new Map<string, ModelFinding>();
  for (const [path, lines] of tree)
    for (const text of lines)
      for (const f of FLAGGED.filter((flagged) => flagged.text === text)) {
        const print = fingerprint(f.ruleId, path, text);
        found.set(print, { fingerprint: print, ruleId: f.ruleId, path, severity: f.severity });
      }
  return [...found.values()];
}

/** The findings open at a head under `config`: neither in an ignored file nor of a rule set off. */
export function openFindings(tree: FakeTree, config: ModelConfig): ModelFinding[] {
  return allFindings(tree)
    .filter((f) => !config.ignored.has(f.path) && !config.off.has(f.ruleId))
    .map((f) => ({ ...f, severity: config.severity.get(f.ruleId) ?? f.severity }));
}

/** The `nectr` status REVIEW.md §2 gives a head with these open findings. */
export function expectedState(open: ModelFinding[], config: ModelConfig): 'success' | 'failure' {
  const bar = ORDER.indexOf(config.failOn);
  return open.some((f) => ORDER.indexOf(f.severity) >= bar) ? 'failure' : 'success';
}
