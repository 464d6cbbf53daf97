import { describe, expect, it } from '@jest/globals';
import { watchdog } from '../../../../../test/support/watchdog.js';
import { isPlaceholder } from './placeholder.js';

describe('isPlaceholder', () => {
  it('knows templates, env references, masks and sample words', () => {
    for (const value of [
      '${TOKEN}',
      '{{ token }}',
      '<your-token>',
      '%(token)s',
      '$TOKEN',
      'process.env.TOKEN',
      'sk_****',
      'example-key',
    ])
      expect([value, isPlaceholder(value)]).toEqual([value, true]);
    for (const value of ['sk_live_4eC39HqLyjWDarjtT1zdp7dc', '${unclosed', '{{unclosed', 'a$TOKEN'])
      expect([value, isPlaceholder(value)]).toEqual([value, false]);
  });

  it('takes time linear in the value: a long run of `{{` that no brace closes', () => {
    // Minutes with the backtracking pattern of before: the watchdog fails such a hang.
    expect(watchdog(10_000, () => isPlaceholder(`c${'{{p'.repeat(120_000)}`))).toBe(false);
  });
});
