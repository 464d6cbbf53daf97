// Cases from ESLint-style rule tests (`ruleTester.run(name, rule, { valid, invalid })`): the test
// file is run with the RuleTester, the rule and the test helpers replaced by stand-ins that only
// record what `run` is given. Only the builder runs this, on a developer's machine: upstream test
// code never runs on the server.
import { createRequire } from 'node:module';
import { dirname, posix } from 'node:path';
import ts from 'typescript';

export interface TesterCase {
  code: string;
  valid: boolean;
  /** Options, settings or a parser of the upstream case: Nectr's fixed config cannot honour them. */
  configured: boolean;
  typescript: boolean;
  /** The case's source type, its own or the tester's default. */
  sourceType: 'script' | 'module' | 'commonjs' | undefined;
}

type Show = (path: string) => string | undefined;
const requireReal = createRequire(import.meta.url);

class RecordingTester {
  static recorded: Array<{
    name: string;
    defaults: Record<string, unknown>;
    tests: { valid?: unknown[]; invalid?: unknown[] };
  }> = [];
  static describe = (_: string, fn: () => void): void => fn();
  // Plain tests beside the cases (meta checks) may fail against the stand-in rule: not ours to run.
  static it = (_: string, fn: () => void): void => {
    try {
      fn();
    } catch {
      /* ignored */
    }
  };
  static itOnly = RecordingTester.it;
  static afterAll = (): void => undefined;
  constructor(readonly defaults: Record<string, unknown> = {}) {}
  run(name: string, _rule: unknown, tests: { valid?: unknown[]; invalid?: unknown[] }): void {
    RecordingTester.recorded.push({ name, defaults: this.defaults, tests });
  }
}

const TESTER = /rule-tester|test-utils|^eslint$/;
// Whatever a test file takes from its tester module (the module itself, `RuleTester`,
// `FlatCompatRuleTester`, a parser name) is the recording tester.
const testerModule = new Proxy(RecordingTester, {
  get: (target, key) =>
    key in target ? (target as unknown as Record<string | symbol, unknown>)[key] : RecordingTester,
});
const ruleModule = {};

/** Every case of `ruleName` in the test file at `path` (read through `show`). */
export function testerCases(path: string, show: Show, ruleName: string): TesterCase[] {
  RecordingTester.recorded = [];
  const g = globalThis as Record<string, unknown>;
  const saved = { describe: g.describe, it: g.it };
  g.describe = RecordingTester.describe;
  g.it = RecordingTester.it;
  try {
    load(path, show, ruleName);
  } finally {
    g.describe = saved.describe;
    g.it = saved.it;
  }
  const run = RecordingTester.recorded.find((r) => r.name === ruleName);
  if (!run) throw new Error(`${path}: no ruleTester.run("${ruleName}")`);
  return [
    ...(run.tests.valid ?? []).map((c) => normalize(c, true, sourceTypeOf(run.defaults))),
    ...(run.tests.invalid ?? []).map((c) => normalize(c, false, sourceTypeOf(run.defaults))),
  ];
}

function emptyGlobals(languageOptions: unknown): boolean {
  const globals = (languageOptions as { globals?: object } | undefined)?.globals;
  return globals !== undefined && Object.keys(globals).length === 0;
}

function sourceTypeOf(config: unknown): TesterCase['sourceType'] {
  const c = config as
    { languageOptions?: { sourceType?: string }; parserOptions?: { sourceType?: string } } | undefined;
  const type = c?.languageOptions?.sourceType ?? c?.parserOptions?.sourceType;
  return type === 'script' || type === 'module' || type === 'commonjs' ? type : undefined;
}

function normalize(raw: unknown, valid: boolean, defaultType: TesterCase['sourceType']): TesterCase {
  if (typeof raw === 'string')
    return { code: raw, valid, configured: false, typescript: false, sourceType: defaultType };
  const c = raw as Record<string, unknown>;
  const options = Array.isArray(c.options) && c.options.length > 0;
  const parser =
    JSON.stringify(c.languageOptions ?? {}) + JSON.stringify(c.parser ?? '') + JSON.stringify(c.parserOptions ?? {});
  return {
    code: String(c.code),
    valid,
    // `globals: {}` says the label holds where even `setTimeout` is undeclared; Nectr's fixed
    // config declares the usual globals, so such a case cannot be run as upstream meant it.
    configured: options || c.settings !== undefined || c.only === true || emptyGlobals(c.languageOptions),
    typescript: /typescript|tsParser|"parser":\{/.test(parser) || typeof c.parser === 'string',
    sourceType: sourceTypeOf(c) ?? defaultType,
  };
}

function load(path: string, show: Show, ruleName: string): unknown {
  const source = show(path);
  if (source === undefined) throw new Error(`${path}: not found`);
  const js = /\.[cm]?ts$/.test(path)
    ? ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText
    : source;
  const module = { exports: {} as unknown };
  const localRequire = (spec: string): unknown => {
    if (TESTER.test(spec)) return testerModule;
    if (spec === 'mocha') return { suite: RecordingTester.describe, test: RecordingTester.it };
    if (!spec.startsWith('.')) return requireReal(spec);
    const base = posix.join(dirname(path), spec).replace(/\.js$/, '');
    const found = [base, `${base}.ts`, `${base}.js`, `${base}/index.ts`, `${base}/index.js`].find(
      (p) => show(p) !== undefined,
    );
    if (!found) throw new Error(`${path}: cannot resolve ${spec}`);
    // The rule under test is never run: only its cases are wanted.
    if (found.replace(/^.*\/|\.[jt]s$/g, '') === ruleName) return ruleModule;
    return load(found, show, ruleName);
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluates an upstream test file, see above
  const fn = new Function('require', 'module', 'exports', '__filename', '__dirname', js) as (...a: unknown[]) => void;
  fn(localRequire, module, module.exports, path, dirname(path));
  return module.exports;
}
