import { describe, expect, it } from '@jest/globals';
import { TodoCommentRule } from './todo-comment.rule.js';

const check = (text: string, filename = 'src/app.ts') =>
  new TodoCommentRule().check({ filename, status: 'modified', additions: 1, deletions: 0 }, [{ line: 6, text }]);

describe('comments/todo', () => {
  it('takes time linear in the line', () => {
    for (const text of ['#'.repeat(40_000), '//'.repeat(20_000)]) {
      const started = performance.now();
      expect(check(text)).toEqual([]);
      expect(performance.now() - started).toBeLessThan(500);
    }
  });

  it.each([
    ['// TODO: handle pagination', 'src/app.ts', 'TODO'],
    ['  /* FIXME(ann) leaks on retry */', 'src/app.ts', 'FIXME'],
    ['   * XXX depends on clock skew', 'src/app.ts', 'XXX'],
    ['x = 1  # HACK - until upstream fixes it', 'app/main.py', 'HACK'],
    ['# todo: read it from the config', 'app/main.py', 'todo'],
    ['url = "https://github.com/acme/todo"  # FIXME: from config', 'app/main.py', 'FIXME'],
    ['-- TODO drop this column', 'migrations/1.sql', 'TODO'],
    ['<!-- TODO: translate -->', 'web/index.html', 'TODO'],
    ['# parse the flags. TODO: folding', 'tools/build.py', 'TODO'],
    ['  # hack: the SDK path is hard-coded', 'tools/build.py', 'hack'],
  ])('flags %s', (text, filename, tag) => {
    expect(check(text, filename)).toEqual([
      expect.objectContaining({
        ruleId: 'comments/todo',
        severity: 'info',
        line: 6,
        message: expect.stringContaining(`\`${tag}\``),
      }),
    ]);
  });

  it.each([
    ['const todo = loadTodos();', 'src/app.ts'],
    ["const TODO_STATUS = 'open';", 'src/app.ts'],
    ["const phone = 'XXX-XXX-XXXX';", 'src/app.ts'],
    ['// format is XXX-XXXX', 'src/app.ts'],
    ['# TODO', 'docs/roadmap.md'],
    ['- [ ] TODO: write docs', 'README.md'],
    // In Python `//` divides and a `#` in a string opens no comment.
    ['TRACKER = "https://github.com/acme/todo"', 'app/links.py'],
    ["COLOURS = {'#fff': 'xxx'}", 'app/theme.py'],
    ['half = total // 2 if todo else 0', 'app/split.py'],
    // Further into a comment, a lower-case word is prose or a stand-in, not a tag.
    ['# Records the choice of the --enable-xxx and --with-xxx options.', 'Makefile'],
    ['# The name of the message catalog (xxx.po)', 'po/Makefile'],
    ['# This hack makes it work on old compilers:', 'tools/gyp/build.py'],
  ])('ignores %s in %s', (text, filename) => {
    expect(check(text, filename)).toEqual([]);
  });
});
