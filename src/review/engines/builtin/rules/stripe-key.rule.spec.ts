import { describe, expect, it } from '@jest/globals';
import { StripeKeyRule } from './stripe-key.rule.js';

const body = '4eC39HqLyjWDarjtT1zdp7dc';
const check = (text: string) =>
  new StripeKeyRule().check({ filename: 'pay.rb', status: 'modified', additions: 1, deletions: 0 }, [
    { line: 3, text },
  ]);

describe('secrets/stripe-key', () => {
  it('flags live keys as critical and test keys as medium, masked', () => {
    const [live] = check(`Stripe.api_key = "sk_live_${body}"`);
    expect(live).toMatchObject({ ruleId: 'secrets/stripe-key', severity: 'critical', line: 3 });
    expect(live?.message).not.toContain(body);
    expect(check(`key = "rk_test_${body}"`)).toEqual([expect.objectContaining({ severity: 'medium' })]);
  });

  it('ignores publishable keys and placeholders', () => {
    expect(check(`key = "pk_live_${body}"`)).toEqual([]);
    expect(check('key = "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"')).toEqual([]);
    expect(check('key = "sk_test_YOUR_API_KEY_HERE"')).toEqual([]);
  });
});
