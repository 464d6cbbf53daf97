// JavaScript and TypeScript checks on the syntax tree: ESLint's Linter with a fixed, server-side
// config. A repository's own ESLint config and plugins are never loaded: that would run the pull
// request author's code on this server.
import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import jest from 'eslint-plugin-jest';
import mocha from 'eslint-plugin-mocha';
import type { Finding, Severity } from '../../review-engine.js';
import { SYNTAX_RULES } from '../catalogue.js';
import { consoleExempt } from '../rules/console.rule.js';
import { tlsRule } from './tls-rule.js';

export const LINTED = /\.(?:[cm]?[jt]sx?)$/i;

// Every rule here reports at a node whose first line names what it looks for (a call, a property,
// a comment tag). Added lines that name none of these cannot hold a message we keep, so the file is
// neither fetched nor parsed: most changed files in a pull request are like that, and parsing is
// what an ESLint run costs.
const TRIGGERS = new RegExp(
  [
    '\\bconsole\\b',
    '\\bdebugger\\b',
    '\\beval\\b',
    '\\bFunction\\s*\\(',
    '\\bset(?:Timeout|Interval|Immediate)\\b',
    '\\bexecScript\\b',
    '\\.(?:only|skip)\\b',
    '["\'`](?:only|skip)["\'`]',
    '\\b[xf](?:it|describe|test|context|specify)\\b',
    '\\b(?:it|test|specify|describe|context|suite)\\s*[.([]',
    '\\bpending\\s*\\(',
    '\\brejectUnauthorized\\b|NODE_TLS_REJECT_UNAUTHORIZED|\\bstrictSSL\\b',
  ].join('|'),
);
const TAGS = /\b(?:todo|fixme|xxx)\b/i;

/** Whether any added line could carry a message of the fixed rule set. */
export const mayConcernSyntax = (addedText: string): boolean => TRIGGERS.test(addedText) || TAGS.test(addedText);
const TYPESCRIPT = /\.[cm]?tsx?$/i;
const SCRIPT_FIRST = /\.jsx?$/i;
const COMMONJS = /\.cjs$/i;
// jest's "test has no function" is mocha's valid `it(title)` placeholder; mocha's rule reports the
// pending form that matters (`it('title')`).
const DROPPED_MESSAGES = new Set(['missingFunction']);

// ESLint rule -> Nectr rule id. `tls-verification-disabled` is Nectr's own ESLint rule.
const RULES: Record<string, string> = {
  'no-console': 'debug/console',
  'no-debugger': 'debug/debugger',
  'no-eval': 'security/eval',
  'no-implied-eval': 'security/eval',
  'no-new-func': 'security/eval',
  'no-warning-comments': 'comments/todo',
  'jest/no-focused-tests': 'tests/focused',
  'mocha/no-exclusive-tests': 'tests/focused',
  'jest/no-disabled-tests': 'tests/skipped',
  'mocha/no-pending-tests': 'tests/skipped',
  'nectr/tls-verification-disabled': 'security/tls-verification-disabled',
};
const SEVERITY = new Map<string, Severity>([
  ...SYNTAX_RULES.map((rule) => [rule.id, rule.severity] as const),
  ['security/tls-verification-disabled', 'high'],
]);

const GLOBALS = Object.fromEntries(
  ['setTimeout', 'setInterval', 'setImmediate', 'execScript', 'window', 'global', 'globalThis', 'self'].map((name) => [
    name,
    'readonly' as const,
  ]),
);

const on = (names: string[]): Linter.RulesRecord => Object.fromEntries(names.map((name) => [name, 'error']));
const ruleNames = Object.keys(RULES);

function config(path: string, sourceType: 'module' | 'script' | 'commonjs'): Linter.Config[] {
  const typescript = TYPESCRIPT.test(path);
  return [
    {
      // ESLint lints only .js files unless an entry names the other extensions.
      files: ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'],
      languageOptions: {
        ecmaVersion: 'latest',
        sourceType,
        // no-implied-eval only knows a timer is the global one when it is declared.
        globals: GLOBALS,
        ...(typescript ? { parser: tsParser } : {}),
        // No rule here reads JSDoc: TypeScript need not parse it.
        parserOptions: { ecmaFeatures: { jsx: !typescript || path.endsWith('x') }, jsDocParsingMode: 'none' },
      },
      plugins: {
        jest: jest,
        mocha: mocha,
        nectr: { rules: { 'tls-verification-disabled': tlsRule } },
      },
      // The jest plugin asks jest for its version when not told; no repository file is read.
      settings: { jest: { version: 30 } },
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
      rules: on(ruleNames.filter((name) => name !== 'no-console' || !consoleExempt(path))),
    },
  ];
}

const linter = new Linter({ configType: 'flat' });

/**
 * Findings ESLint reports in `content` on the lines in `lines` (those the pull request added), or
 * null when the file does not parse (the caller then falls back to the line rules).
 */
export function lintJs(path: string, content: string, lines: Set<number>): Finding[] | null {
  // Plain .js may be a browser script, where top-level `this` is the global object (`this.eval`):
  // read as a script first, as a module when it does not parse as one (import/export).
  // CommonJS (.cjs) is its own source type: there top-level `this` is `module.exports`.
  const order: Array<'module' | 'script' | 'commonjs'> = SCRIPT_FIRST.test(path)
    ? ['script', 'module']
    : COMMONJS.test(path)
      ? ['commonjs']
      : ['module'];
  let messages: Linter.LintMessage[] = [];
  try {
    for (const sourceType of order) {
      messages = linter.verify(content, config(path, sourceType), { filename: path });
      if (!messages.some((m) => m.fatal)) break;
    }
  } catch {
    // A tree deeper than the stack (`a.b.b.b…` or `f()()()…` 10 000 times: 20 KB) parses, then
    // ESLint's traversal throws a RangeError. The file's author chose it: read it as a file that
    // does not parse (the line rules take it), never as a review that fails.
    return null;
  }
  if (messages.some((m) => m.fatal)) return null;
  const findings = new Map<string, Finding>();
  let sourceLines: string[] | undefined;
  const gitLines = gitLineNumbers(content);
  for (const message of messages) {
    const ruleId = message.ruleId ? RULES[message.ruleId] : undefined;
    if (message.messageId && DROPPED_MESSAGES.has(message.messageId)) continue;
    // ESLint reports a comment at its first line; a block comment's tag may sit on a later one.
    const eslintLine =
      ruleId === 'comments/todo' ? tagLine((sourceLines ??= content.split(LINE_BREAK)), message) : message.line;
    const line = gitLines ? gitLines[eslintLine] : eslintLine;
    if (!ruleId || !lines.has(line) || findings.has(`${ruleId}:${line}`)) continue;
    findings.set(`${ruleId}:${line}`, {
      ruleId,
      severity: SEVERITY.get(ruleId) ?? 'medium',
      path,
      line,
      message: MESSAGES[ruleId] ?? message.message,
    });
  }
  return [...findings.values()];
}

// ESLint's line breaks, so line numbers agree with its messages'.
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/;

/**
 * ESLint's line numbers mapped to git's (index: ESLint's line), or null when they agree. ESLint also
 * breaks lines at a lone `\r`, U+2028 and U+2029; git (and so the patch) only at `\n`. Without this,
 * one U+2028 in a string moved every later finding to the next line.
 */
function gitLineNumbers(content: string): number[] | null {
  if (!/\r(?!\n)|[\u2028\u2029]/.test(content)) return null;
  const lines = [0, 1];
  let git = 1;
  for (let i = 0; i < content.length; i++) {
    const char = content[i];
    if (char === '\n') lines.push(++git);
    else if (char === '\r' ? content[i + 1] !== '\n' : char === '\u2028' || char === '\u2029') lines.push(git);
  }
  return lines;
}

/** The line of a warning comment that holds its tag (1-based), within the comment's lines. */
function tagLine(sourceLines: string[], message: Linter.LintMessage): number {
  for (let line = message.line; line <= (message.endLine ?? message.line); line++)
    if (TAGS.test(sourceLines[line - 1] ?? '')) return line;
  return message.line;
}

const MESSAGES: Record<string, string> = {
  'debug/console': '`console` call left in application code. Remove it, or use the logger so output is levelled.',
  'debug/debugger': '`debugger` statement left in: it pauses any run with a debugger or devtools attached. Remove it.',
  'security/eval':
    'Code built from a string is executed here: if any part of it can come from input, that is code ' +
    'injection. Parse data (JSON.parse) or dispatch on known values instead.',
  'tests/focused': 'Focused test: every other test in this file stops running in CI. Remove the `.only`/`f` prefix.',
  'tests/skipped': 'Test disabled or pending. Fix or delete it, or link the issue that tracks re-enabling it.',
  'comments/todo': 'TODO/FIXME/XXX comment added. If it outlives this PR, track it in an issue and link it here.',
  'security/tls-verification-disabled':
    'TLS certificate verification is switched off here, so anyone on the network path can impersonate ' +
    'the server. Keep verification on; trust a private CA explicitly if needed.',
};
