import { LineRule, mask } from '../rule.js';

// xoxb bot, xoxp user, xoxa app, xoxr refresh, xoxs workspace tokens.
const SLACK_TOKEN = /\bxox[abprs]-[A-Za-z0-9-]{10,}/;

export class SlackTokenRule extends LineRule {
  readonly id = 'secrets/slack-token';
  readonly severity = 'critical' as const;
  readonly description = 'A Slack API token (xoxb-, xoxp-, …) added to the code.';

  protected inspect(text: string): string | undefined {
    const token = SLACK_TOKEN.exec(text)?.[0];
    if (!token) return undefined;
    return (
      `Slack token \`${mask(token)}\` committed. Revoke it in the Slack app settings, then read ` +
      'it from the environment or a secrets manager.'
    );
  }
}
