import { describe, expect, it } from '@jest/globals';
import { addedLines, commentableLines } from './patch.js';

const PATCH = [
  '@@ -1,3 +1,4 @@',
  ' import a from "a";',
  '-const old = 1;',
  '+const fresh = 2;',
  '+debugger;',
  ' export {};',
  '@@ -20,2 +21,3 @@ function tail() {',
  ' keep();',
  '+added();',
  ' end();',
  '\\ No newline at end of file',
].join('\n');

describe('patch reading', () => {
  it('numbers added lines in the new file, across hunks', () => {
    expect(addedLines(PATCH)).toEqual([
      { line: 2, text: 'const fresh = 2;' },
      { line: 3, text: 'debugger;' },
      { line: 22, text: 'added();' },
    ]);
  });

  it('lists every line GitHub can comment on, and no removed one', () => {
    expect([...commentableLines(PATCH)]).toEqual([1, 2, 3, 4, 21, 22, 23]);
  });

  it('gives the text of a line with Windows line endings without its \\r', () => {
    const crlf = ['@@ -1,2 +1,3 @@', ' a();\r', '-b();\r', '+c();\r', '+=======\r', ' d();'].join('\n');
    expect(addedLines(crlf)).toEqual([
      { line: 2, text: 'c();' },
      { line: 3, text: '=======' },
    ]);
  });

  it('copes with no patch (binary or huge files)', () => {
    expect(addedLines(undefined)).toEqual([]);
    expect(commentableLines('')).toEqual(new Set());
  });
});
