import { describe, expect, it } from '@jest/globals';
import { SlackTokenRule } from './slack-token.rule.js';

// Built from parts so no scanner flags this file.
const CONFIG_TOKEN = [
  'xoxe.xoxp',
  '1',
  'Mi0yLTM0MTQwNDE0MDE3Ni0zNjU5NDY0Njg4MTctNTE4MjA3NDk4MjQ2Ny0xMjM0NTY3ODkwMTIzNC1hYmNkZWZhYmNkZWZhYmNkZWZhYmNkZWZhYmNkZWZhYmNkZWZhYmNkZWZhYmNkZWZhYmNkZWZhYmNkZWZh',
].join('-');
const REFRESH_TOKEN = [
  'xoxe',
  '1',
  'abcdefghijABCDEFGHIJ0123456789abcdefghijABCDEFGHIJ0123456789abcdefghijABCDEFGHIJ0123456789abcdefghijABCDEFGHIJ0123456789abcdefghijABCDEFGHIJ01234',
].join('-');
const LEGACY_TOKEN = ['xoxs', '416843729158', '132059283457', '8FmbQLcrsk0AgDg1vb6W0uVPH'].join('-');
const check = (text: string) =>
  new SlackTokenRule().check({ filename: 'bot/config.py', status: 'modified', additions: 1, deletions: 0 }, [
    { line: 12, text },
  ]);

describe('secrets/slack-token (what secretlint leaves out)', () => {
  it('flags configuration, refresh and legacy workspace tokens, masked', () => {
    const [finding] = check(`SLACK_TOKEN = "${LEGACY_TOKEN}"`);
    expect(finding).toMatchObject({ ruleId: 'secrets/slack-token', severity: 'critical', line: 12 });
    expect(finding?.message).toContain('`xoxs…`');
    expect(finding?.message).not.toContain(LEGACY_TOKEN);
    expect(check(`token: ${CONFIG_TOKEN}`)).toHaveLength(1);
    expect(check(`token: ${REFRESH_TOKEN}`)).toHaveLength(1);
  });

  it('ignores placeholders, bare prefixes and env lookups', () => {
    expect(check('token = "xoxs-xxxxxxxxxxxx-xxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx"')).toEqual([]);
    expect(check("# tokens look like 'xoxe-…'")).toEqual([]);
    expect(check('SLACK_TOKEN = os.environ["SLACK_TOKEN"]')).toEqual([]);
  });
});
