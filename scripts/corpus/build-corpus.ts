// Builds test/corpus/cases.json from upstream test suites, read from local git mirrors
// (`node dist-corpus/scripts/corpus/build-corpus.js <mirror-dir>`, a folder holding
// `<owner>+<name>/repo` bare clones). Every case keeps its source (repo, commit, path, rule, case)
// and its label is what the upstream suite says: gitleaks' tps/fps, secretlint's snapshot output
// (messages or none), RuleTester's invalid/valid.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { gitleaksCases } from './gitleaks.js';
import { testerCases } from './rule-tester-cases.js';

export interface CorpusCase {
  category: string;
  label: 'positive' | 'negative';
  /** The path the case is reviewed under (its added lines are `text`). */
  file: string;
  text: string;
  source: { repo: string; commit: string; path: string; rule: string; case: number | string };
}

const mirror = process.argv[2] ?? '/work/.mirror';
const git = (repo: string, ...args: string[]): string =>
  execFileSync('git', ['-C', `${mirror}/${repo.replace('/', '+')}/repo`, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 256 * 1024 * 1024,
  });
const head = (repo: string) => git(repo, 'rev-parse', 'HEAD').trim();
const show = (repo: string, commit: string) => (path: string) => {
  try {
    return git(repo, 'show', `${commit}:${path}`);
  } catch {
    return undefined;
  }
};

const cases: CorpusCase[] = [];
const notes: string[] = [];

// gitleaks: rule id prefix -> category.
const GITLEAKS_FILES = [
  'aws',
  'github',
  'slack',
  'stripe',
  'twilio',
  'npm',
  'openai',
  'anthropic',
  'sendgrid',
  'privatekey',
];
const GITLEAKS_CATEGORY: Array<[RegExp, string]> = [
  [/^aws-access-token$/, 'secrets/aws'],
  [/^github-/, 'secrets/github'],
  [/^slack-/, 'secrets/slack'],
  [/^stripe-/, 'secrets/stripe'],
  [/^twilio-api-key$/, 'secrets/twilio'],
  [/^npm-access-token$/, 'secrets/npm'],
  [/^openai-/, 'secrets/openai'],
  [/^anthropic-/, 'secrets/anthropic'],
  [/^sendgrid-/, 'secrets/sendgrid'],
  [/^private-key$/, 'secrets/private-key'],
];
{
  const repo = 'gitleaks/gitleaks';
  const commit = head(repo);
  for (const [n, name] of GITLEAKS_FILES.entries()) {
    const path = `cmd/generate/config/rules/${name}.go`;
    for (const rule of gitleaksCases(git(repo, 'show', `${commit}:${path}`), 1000 + n)) {
      const category = GITLEAKS_CATEGORY.find(([re]) => re.test(rule.ruleId))?.[1];
      if (!category) continue;
      if (rule.unread) notes.push(`gitleaks ${rule.ruleId}: ${rule.unread} statement(s) not evaluated`);
      const add = (label: CorpusCase['label'], list: string[]) =>
        list.forEach((text, i) =>
          cases.push({
            category,
            label,
            file: 'config/settings.txt',
            text,
            source: { repo, commit, path, rule: rule.ruleId, case: `${label === 'positive' ? 'tps' : 'fps'}[${i}]` },
          }),
        );
      add('positive', rule.tps);
      add('negative', rule.fps);
    }
  }
}

// secretlint: each snapshot folder is one case; output.json lists what the rule reported.
const SECRETLINT_RULES: Record<string, string> = {
  aws: 'secrets/aws',
  github: 'secrets/github',
  slack: 'secrets/slack',
  privatekey: 'secrets/private-key',
  gcp: 'secrets/gcp',
  npm: 'secrets/npm',
  openai: 'secrets/openai',
  anthropic: 'secrets/anthropic',
  sendgrid: 'secrets/sendgrid',
  stripe: 'secrets/stripe',
  'database-connection-string': 'secrets/database-url',
  basicauth: 'secrets/basic-auth',
};
{
  const repo = 'secretlint/secretlint';
  const commit = head(repo);
  for (const [rule, category] of Object.entries(SECRETLINT_RULES)) {
    const dir = `packages/@secretlint/secretlint-rule-${rule}/test/snapshots`;
    const files = git(repo, 'ls-tree', '-r', '--name-only', commit, dir).trim().split('\n');
    const folders = [...new Set(files.map((f) => f.slice(dir.length + 1).split('/')[0]))];
    for (const folder of folders) {
      const inFolder = files.filter((f) => f.startsWith(`${dir}/${folder}/`));
      const input = inFolder.find((f) => /\/input(?:\.[^/]+)?$/.test(f));
      if (!input) continue;
      // A case run with its own options, or a binary input (no patch to review), is left out.
      if (inFolder.some((f) => f.endsWith('.secretlintrc.json')) || /\.p12$/.test(input)) {
        notes.push(`secretlint ${rule}/${folder}: left out (${/\.p12$/.test(input) ? 'binary input' : 'own options'})`);
        continue;
      }
      const output = JSON.parse(git(repo, 'show', `${commit}:${dir}/${folder}/output.json`)) as {
        messages?: unknown[];
      };
      const ext = input.slice(input.lastIndexOf('/') + 1).replace(/^input/, '') || '.txt';
      cases.push({
        category,
        label: (output.messages ?? []).length > 0 ? 'positive' : 'negative',
        file: `config/${folder.replace(/[^\w.-]+/g, '-')}${ext}`,
        text: git(repo, 'show', `${commit}:${input}`),
        source: { repo, commit, path: input, rule: `secretlint-rule-${rule}`, case: folder },
      });
    }
  }
}

// ESLint core and the jest and mocha plugins: RuleTester's valid (negative) and invalid (positive).
const TESTERS: Array<[string, string, string, string, boolean]> = [
  ['eslint/eslint', 'tests/lib/rules/no-console.js', 'no-console', 'js/console', false],
  ['eslint/eslint', 'tests/lib/rules/no-debugger.js', 'no-debugger', 'js/debugger', false],
  ['eslint/eslint', 'tests/lib/rules/no-eval.js', 'no-eval', 'js/eval', false],
  ['eslint/eslint', 'tests/lib/rules/no-implied-eval.js', 'no-implied-eval', 'js/eval', false],
  ['eslint/eslint', 'tests/lib/rules/no-new-func.js', 'no-new-func', 'js/eval', false],
  ['eslint/eslint', 'tests/lib/rules/no-warning-comments.js', 'no-warning-comments', 'js/todo', false],
  [
    'jest-community/eslint-plugin-jest',
    'src/rules/__tests__/no-focused-tests.test.ts',
    'no-focused-tests',
    'tests/focused',
    true,
  ],
  [
    'jest-community/eslint-plugin-jest',
    'src/rules/__tests__/no-disabled-tests.test.ts',
    'no-disabled-tests',
    'tests/skipped',
    true,
  ],
  [
    'lo1tuma/eslint-plugin-mocha',
    'source/rules/no-exclusive-tests.test.ts',
    'no-exclusive-tests',
    'tests/focused',
    true,
  ],
  ['lo1tuma/eslint-plugin-mocha', 'source/rules/no-pending-tests.test.ts', 'no-pending-tests', 'tests/skipped', true],
];
const EXTENSION = { script: '.js', module: '.mjs', commonjs: '.cjs' } as const;
for (const [repo, path, rule, category, testFile] of TESTERS) {
  const commit = head(repo);
  const all = testerCases(path, show(repo, commit), rule);
  const kept = all.filter((c) => !c.configured);
  notes.push(`${repo} ${rule}: ${all.length - kept.length} of ${all.length} cases left out (own options or settings)`);
  kept.forEach((c, i) =>
    cases.push({
      category,
      label: c.valid ? 'negative' : 'positive',
      // The extension tells the engine the source type the upstream case was written for.
      file: `${testFile ? 'test/case.spec' : 'src/case'}${c.typescript ? '.ts' : EXTENSION[c.sourceType ?? 'script']}`,
      text: c.code,
      source: { repo, commit, path, rule, case: i },
    }),
  );
}

writeFileSync(new URL('../../../test/corpus/cases.json', import.meta.url), `${JSON.stringify(cases, null, 1)}\n`);
writeFileSync(new URL('../../../test/corpus/build-notes.txt', import.meta.url), `${notes.join('\n')}\n`);
console.log(`${cases.length} cases`);
