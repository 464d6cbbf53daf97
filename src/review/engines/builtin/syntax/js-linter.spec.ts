import { describe, expect, it } from '@jest/globals';
import { lintJs } from './js-linter.js';

const all = (content: string) => new Set(content.split('\n').map((_, i) => i + 1));
const ids = (path: string, content: string, lines = all(content)) =>
  lintJs(path, content, lines)?.map((f) => [f.ruleId, f.line]);

describe('lintJs (ESLint on the syntax tree)', () => {
  it('reports the fixed rule set under Nectr rule ids, one per rule and line', () => {
    const code = [
      'debugger;',
      'eval(input);',
      'setTimeout("run()", 10);',
      'const f = new Function("a", "return a");',
      '// fixme: later',
      "console.info('x');",
    ].join('\n');
    expect(ids('src/a.js', code)).toEqual([
      ['debug/debugger', 1],
      ['security/eval', 2],
      ['security/eval', 3],
      ['security/eval', 4],
      ['comments/todo', 5],
      ['debug/console', 6],
    ]);
  });

  it('keeps only messages on the lines the pull request added', () => {
    expect(ids('src/a.js', 'debugger;\ndebugger;', new Set([2]))).toEqual([['debug/debugger', 2]]);
  });

  it('knows a shadowed console is not the console, and exempts tests and scripts from no-console', () => {
    expect(ids('src/a.js', 'function f(console) { console.log(1); }')).toEqual([]);
    expect(ids('test/a.spec.js', 'console.log(1);')).toEqual([]);
    expect(ids('scripts/seed.ts', 'console.log(1);')).toEqual([]);
  });

  it('finds focused and disabled tests in every spelling jest and mocha know', () => {
    const code = [
      "describe.only.each([1])('x', () => {});",
      "it['only']('y', () => {});",
      "it['skip']('z', () => {});",
      "xdescribe('w', () => {});",
      "it('pending');",
    ].join('\n');
    expect(ids('test/a.spec.ts', code)).toEqual([
      ['tests/focused', 1],
      ['tests/focused', 2],
      ['tests/skipped', 3],
      ['tests/skipped', 4],
      ['tests/skipped', 5],
    ]);
  });

  it('reports TLS verification switched off in any spelling', () => {
    const code = [
      'const agent = new https.Agent({ rejectUnauthorized: false });',
      "process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = 0;",
      'process.env.NODE_TLS_REJECT_UNAUTHORIZED = `0`;',
      'const env = { NODE_TLS_REJECT_UNAUTHORIZED: "0" };',
      'const ok = { rejectUnauthorized: true };',
    ].join('\n');
    expect(ids('src/client.ts', code)).toEqual(
      [1, 2, 3, 4].map((line) => ['security/tls-verification-disabled', line]),
    );
  });

  it('parses TypeScript and JSX, scripts as a fallback, and returns null when a file does not parse', () => {
    expect(
      ids('src/a.tsx', 'const x = <T,>(a: T): T => a;\nexport const C = () => <div>{x(1)}</div>;\ndebugger;'),
    ).toEqual([['debug/debugger', 3]]);
    expect(ids('src/legacy.js', 'with (obj) { debugger; }')).toEqual([['debug/debugger', 1]]);
    expect(lintJs('src/broken.ts', 'const = ;', new Set([1]))).toBeNull();
  });

  it('returns null, never throws, for a syntax tree deeper than the stack (a pull request can hold one)', () => {
    for (const path of ['src/deep.js', 'src/deep.ts']) {
      expect(lintJs(path, `console.log(1);\nconst x = a${'.b'.repeat(10_000)};`, new Set([1, 2]))).toBeNull();
      expect(lintJs(path, `console.log(1);\nconst x = a${'()'.repeat(10_000)};`, new Set([1, 2]))).toBeNull();
    }
  });

  it('puts a TODO in a block comment on the line that holds it', () => {
    const code = ['/*', '  FIXME: races with the flush', '*/', 'export const a = 1;'].join('\n');
    expect(ids('src/a.ts', code)).toEqual([['comments/todo', 2]]);
    // The comment was already there; the pull request added the FIXME line inside it.
    expect(ids('src/a.ts', code, new Set([2]))).toEqual([['comments/todo', 2]]);
  });

  it('numbers lines as git does, whatever ESLint counts as a line break (U+2028, a lone \\r)', () => {
    const code = [
      'const sep = "a\u2028b";',
      'debugger;',
      'const mac = `c\rd`;',
      'console.log(sep, mac); // TODO: x',
    ].join('\n');
    expect(ids('src/a.ts', code)).toEqual([
      ['debug/debugger', 2],
      ['debug/console', 4],
      ['comments/todo', 4],
    ]);
    expect(ids('src/a.ts', code, new Set([2]))).toEqual([['debug/debugger', 2]]);
  });

  it('ignores inline eslint-disable comments of the pull request author', () => {
    expect(ids('src/a.js', '// eslint-disable-next-line no-debugger\ndebugger;')).toEqual([['debug/debugger', 2]]);
  });
});
