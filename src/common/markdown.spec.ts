import { describe, expect, it } from '@jest/globals';
import { watchdog } from '../../test/support/watchdog.js';
import { codeSpan, prose } from './markdown.js';

describe('codeSpan', () => {
  it('fences with more backticks than the text holds, and keeps it on one line', () => {
    expect(codeSpan('src/a.ts')).toBe('`src/a.ts`');
    expect(codeSpan('a``b')).toBe('```a``b```');
    expect(codeSpan('`a')).toBe('`` `a ``');
    expect(codeSpan('a\n\nb')).toBe('`a b`');
  });

  it('never holds an HTML comment', () => {
    expect(codeSpan('<!-- nectr-finding fp=x -->')).not.toContain('<!--');
  });
});

describe('prose', () => {
  it('breaks HTML comments and @-mentions, and leaves the rest as it was', () => {
    expect(prose('see <!-- x --> and ask @octo/admins, mail a@b.c')).toBe(
      'see <!\u200B-- x --> and ask @\u200Bocto/admins, mail a@\u200Bb.c',
    );
    expect(prose('plain text, @ alone')).toBe('plain text, @ alone');
  });

  it('breaks every HTML tag, so none can take the rest of the review into an element that hides it', () => {
    expect(prose('Looks fine <script> overall.')).toBe('Looks fine <\u200Bscript> overall.');
    expect(prose('Fine.\n\n<details><summary>Nits</summary></details>')).toBe(
      'Fine.\n\n<\u200Bdetails><\u200Bsummary>Nits<\u200B/summary><\u200B/details>',
    );
    expect(prose('<STYLE>, <?php, <!DOCTYPE html>, <![CDATA[')).toBe(
      '<\u200BSTYLE>, <\u200B?php, <\u200B!DOCTYPE html>, <\u200B![CDATA[',
    );
    // Comparisons and arrows stay as they are.
    expect(prose('a < b, a <= b, x <- y, <3')).toBe('a < b, a <= b, x <- y, <3');
  });

  it('reads fences in text with \\r\\n line endings, and in time linear in a line', () => {
    expect(prose('Fix:\r\n```ts\r\nconst x = 1;')).toBe('Fix:\r\n```ts\r\nconst x = 1;\n```\n');
    expect(prose('a\r\n```\r\nb\r\n```')).toBe('a\r\n```\r\nb\r\n```\n');
    // Minutes with the backtracking pattern of before: the watchdog fails such a hang.
    const long = `~~~${'~'.repeat(150_000)}\u2028`;
    expect(watchdog(10_000, () => prose(long))).toBe(`${long}\n~~~${'~'.repeat(150_000)}\n`);
  });

  it('closes a code block a model left open, so it cannot take the rest of the review into it', () => {
    expect(prose('Fix:\n```ts\nconst x = 1;')).toBe('Fix:\n```ts\nconst x = 1;\n```\n');
    expect(prose('a\n~~~~\n```\nstill code')).toBe('a\n~~~~\n```\nstill code\n~~~~\n');
    // A closed block is left as it is; one ending the text gets a line break, so a marker put after
    // it on the same line does not keep it open.
    expect(prose('a\n```\nx\n```\nb')).toBe('a\n```\nx\n```\nb');
    expect(prose('a\n```\nx\n```')).toBe('a\n```\nx\n```\n');
    expect(prose('```a`b` is a code span')).toBe('```a`b` is a code span');
  });
});
