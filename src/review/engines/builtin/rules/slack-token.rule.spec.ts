import { describe, expect, it } from '@jest/globals';
import { SlackTokenRule } from './slack-token.rule.js';

const TOKEN = ['xoxb', '1234567890', '1234567890123', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('-');
const check = (text: string) =>
  new SlackTokenRule().check({ filename: 'bot/config.py', status: 'modified', additions: 1, deletions: 0 }, [
    { line: 12, text },
  ]);

describe('secrets/slack-token', () => {
  it('flags bot, user and app tokens, masked', () => {
    const [finding] = check(`SLACK_TOKEN = "${TOKEN}"`);
    expect(finding).toMatchObject({ ruleId: 'secrets/slack-token', severity: 'critical', line: 12 });
    expect(finding?.message).toContain('`xoxb…`');
    expect(finding?.message).not.toContain(TOKEN);
    expect(check(`token: ${TOKEN.replace('xoxb', 'xoxp')}`)).toHaveLength(1);
    expect(check(`token: ${TOKEN.replace('xoxb', 'xoxa')}`)).toHaveLength(1);
  });

  it('ignores other prefixes, bare prefixes and env lookups', () => {
    expect(check(`token = "${TOKEN.replace('xoxb', 'xoxz')}"`)).toEqual([]);
    expect(check("# tokens look like 'xoxb-…'")).toEqual([]);
    expect(check('SLACK_TOKEN = os.environ["SLACK_TOKEN"]')).toEqual([]);
  });
});
