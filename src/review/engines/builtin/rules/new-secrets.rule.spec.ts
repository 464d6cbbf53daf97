import { describe, expect, it } from '@jest/globals';
import type { LineRule } from '../rule.js';
import { AnthropicKeyRule } from './anthropic-key.rule.js';
import { SendgridKeyRule } from './sendgrid-key.rule.js';
import { SlackWebhookRule } from './slack-webhook.rule.js';

// Secrets are assembled at run time so that no scanner flags this file.
const join = (...parts: string[]) => parts.join('');
const check = (rule: LineRule, text: string) =>
  rule.check({ filename: 'app/settings.py', status: 'modified', additions: 1, deletions: 0 }, [{ line: 9, text }]);

describe('secret line rules that fill secretlint gaps', () => {
  it.each([
    [
      new SlackWebhookRule(),
      join('url = "https://hooks.slack.com/', 'services/T0DCUJB1Q/B0DD08H5G/bJtrpFi1fO1JMCcwLx8uZyAg"'),
    ],
    [
      new SlackWebhookRule(),
      join('hooks.slack.com/workflows/', 'T016M3G1GHZ/A04J3BAF7AA/442660231806210747/F6Vm03reCkhPmwBtaqbN6OW9'),
    ],
    [new SendgridKeyRule(), join('KEY = "SG.', 't7rxfo8oz5ib48wnwyg=l_w_bono5q0an2n29t=2=1jnvte7tvh0hvupoyggfmsuuc"')],
    [new AnthropicKeyRule(), join('key = "sk-ant-', 'admin01-', 'a1'.repeat(46), 'bAA"')],
  ])('%p flags %s, masked', (rule, text) => {
    const [finding] = check(rule, text);
    expect(finding).toMatchObject({ ruleId: rule.id, line: 9 });
    expect(finding?.message).not.toContain(text.slice(-20, -4));
  });

  it.each([
    [
      new SlackWebhookRule(),
      'https://hooks.slack.com/services/TXXXXX/BXXXXX/XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    ],
    [new SendgridKeyRule(), join('SG.', 'x'.repeat(66))],
    [new AnthropicKeyRule(), join('sk-ant-', 'api03-', 'x'.repeat(93), 'AA')],
  ])('%p leaves the placeholder %s alone', (rule, text) => {
    expect(check(rule, text)).toEqual([]);
  });
});
