import { describe, expect, it } from '@jest/globals';
import { watchdog } from '../../../../test/support/watchdog.js';
import { codeView, scanLine } from './code-view.js';

const patchOf = (lines: string[], start = 1) =>
  [`@@ -${start},0 +${start},${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
const codeOf = (path: string, lines: string[], start = 1, content?: string) => [
  ...codeView(path, patchOf(lines, start), content).code.values(),
];

describe('scanLine', () => {
  it.each([
    ['python', 'x = f("eval(y)")  # eval(z)', '', 'x = f("       ")  #        ', ''],
    ['python', 'def f():  """Docs', '', 'def f():  """    ', '"""'],
    ['python', "  eval(x) is unsafe. '''", "'''", "                     '''", ''],
    ['python', 'print(x) is how to debug', '"""', '                        ', '"""'],
    ['python', "r = a // b  # it's", '', 'r = a // b  #     ', ''],
    ['js', 'const t = `', '', 'const t = `', 'T'],
    ['js', 'call eval(x) ${y}`; eval(z)', 'T', `${' '.repeat(13)}\${y}\`; eval(z)`, ''],
    ['js', 'f(`a ${g({ b: `c`, d: "`" })} e', '', 'f(`  ${g({ b: ` `, d: " " })}  ', 'T'],
    [
      'js',
      'throw E(`${a.map((x) => `\\`${x}\\``)}`); eval(y)',
      '',
      'throw E(`${a.map((x) => `  ${x}  `)}`); eval(y)',
      '',
    ],
    ['js', "const re = /[`'/*]/; eval(x) // it's", '', "const re = /[`'/*]/; eval(x) //     ", ''],
    ['js', 'const half = a / b; /* eval(', '', 'const half = a / b; /*      ', 'C'],
    ['js', '  eval(x) */ eval(y)', 'TEC', '          */ eval(y)', 'TE'],
  ] as const)('%s: %s (open %s)', (lang, text, open, code, after) => {
    expect(scanLine(lang, text, open)).toEqual({ code, open: after });
    expect(code).toHaveLength(text.length);
  });

  it('takes time linear in the line', () => {
    const started = performance.now();
    scanLine('js', `"${'\\"'.repeat(10_000)}`, '');
    scanLine('python', `x = ${"'''a''' ".repeat(5_000)}`, '');
    scanLine('js', `x = ${'/a/ '.repeat(10_000)}`, '');
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('codeView', () => {
  const DOC = ['def run(expr):', '    """Evaluate expr.', '    Never call eval(expr).', '    """', '    eval(expr)'];

  it('carries a docstring over lines through a hunk that starts at the first line', () => {
    const view = codeView('app/calc.py', patchOf(DOC));
    expect(view.code.get(3)?.trim()).toBe('');
    expect(view.code.get(5)).toBe('    eval(expr)');
    expect(view.unsure.size).toBe(0);
  });

  it('reads each line of a hunk that starts mid-file on its own, and marks it unsure', () => {
    const view = codeView('app/calc.py', patchOf(DOC.slice(2), 12));
    expect(view.code.get(12)).toBe('    Never call eval(expr).');
    // The closing quotes are read as opening ones; the code after them is still read as code.
    expect(view.code.get(14)).toBe('    eval(expr)');
    expect([...view.unsure]).toEqual([12, 13, 14]);
  });

  it("reads a mid-file hunk through the file's content when it is given", () => {
    const content = ['import ast', '', ...DOC].join('\n');
    const view = codeView('app/calc.py', patchOf(DOC.slice(2), 5), content);
    expect(view.code.get(5)?.trim()).toBe('');
    expect(view.code.get(7)).toBe('    eval(expr)');
    expect(view.unsure.size).toBe(0);
  });

  it('ignores content that does not match the patch (read at another commit)', () => {
    const view = codeView('app/calc.py', patchOf(DOC.slice(2), 5), DOC.join('\n'));
    expect([...view.unsure]).toEqual([5, 6, 7]);
  });

  it('reads only the <script> blocks of a .vue file: markup is left to the rules', () => {
    const lines = [
      '<template>',
      '  <p>Use `npm</p>',
      '</template>',
      '<script>',
      'const t = `',
      'eval(x)`;',
      '</script>',
    ];
    const view = codeView('src/App.vue', patchOf(lines));
    expect([...view.code.keys()]).toEqual([5, 6]);
    expect(view.code.get(6)).toBe('       `;');
  });

  it('finds a <script> tag in time linear in the line: a long run of `<script`s with no `>`', () => {
    // Minutes with the backtracking pattern of before: the watchdog fails such a hang.
    const view = watchdog(10_000, () => codeView('src/App.vue', patchOf([`T${'<SCRIPT\u0000a'.repeat(60_000)}`, 'x'])));
    expect([...view.code.keys()]).toEqual([]);
    const tags = ['<script setup lang="ts">', 'eval(x)', '</script>', '<SCRIPT', 'eval(y)', '<script>'];
    expect([...codeView('src/App.vue', patchOf(tags)).code.keys()]).toEqual([2]);
  });

  it('knows no code of other languages', () => {
    expect(codeOf('lib/calc.rb', ['eval(x)'])).toEqual([]);
  });
});
