import { describe, expect, it } from '@jest/globals';
import { TwilioKeyRule } from './twilio-key.rule.js';

const check = (text: string) =>
  new TwilioKeyRule().check({ filename: 'sms.py', status: 'modified', additions: 1, deletions: 0 }, [
    { line: 5, text },
  ]);

describe('secrets/twilio-key', () => {
  it('flags API key sids, masked', () => {
    const [finding] = check('TWILIO_KEY = "SK5b2a8fa0e1c6e3d87d7c4b0c9ec1f6a2"');
    expect(finding).toMatchObject({ ruleId: 'secrets/twilio-key', severity: 'high', line: 5 });
    expect(finding?.message).not.toContain('5b2a8fa0e1c6e3d8');
    expect(finding?.message).toBe(
      'Twilio API key `SK5b…` committed. Delete it in the Twilio console, then read it from the ' +
        'environment or a secrets manager.',
    );
  });

  it('ignores account sids and filler', () => {
    expect(check('ACCOUNT = "AC5b2a8fa0e1c6e3d87d7c4b0c9ec1f6a2"')).toEqual([]);
    expect(check('KEY = "SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"')).toEqual([]);
    expect(check('KEY = "SK00000000000000000000000000000000"')).toEqual([]);
  });
});
