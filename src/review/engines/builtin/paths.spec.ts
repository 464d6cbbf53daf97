import { describe, expect, it } from '@jest/globals';
import { blankStrings } from './paths.js';

describe('blankStrings', () => {
  it.each([
    [`log("verify=False") + x`, `log("${' '.repeat(12)}") + x`],
    [`a = 'it\\'s' + b`, `a = '${' '.repeat(5)}' + b`],
    ['t = `eval(${x})`; y', `t = \`${' '.repeat(10)}\`; y`],
    [`say("unclosed eval(`, `say("${' '.repeat(14)}`],
    [`no strings here`, `no strings here`],
  ])('blanks the inside of the strings in %s, keeping its length', (text, blanked) => {
    expect(blankStrings(text)).toBe(blanked);
    expect(blankStrings(text)).toHaveLength(text.length);
  });

  it('takes time linear in the line', () => {
    const started = performance.now();
    blankStrings(`"${'\\"'.repeat(100_000)}`);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
