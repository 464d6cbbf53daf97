import { TokenRule } from '../rule.js';

// What secretlint's Slack rule leaves out: configuration tokens (`xoxe.xoxp-`), their refresh
// tokens (`xoxe-`) and legacy workspace tokens (`xoxs-`). Its rule covers bot, user and app tokens.
const SLACK_TOKEN =
  /\b(?:xoxe\.xox[bp]-\d-[A-Za-z0-9]{150,170}|xoxe-\d-[A-Za-z0-9]{140,150}|xoxs-\d{8,14}-[A-Za-z0-9-]{20,})/;

export class SlackTokenRule extends TokenRule {
  readonly id = 'secrets/slack-token';
  readonly severity = 'critical' as const;
  readonly description = 'A Slack bot, user, app, configuration or legacy token.';
  protected readonly pattern = SLACK_TOKEN;
  protected readonly label = 'Slack token';
  protected readonly revoke = 'Revoke it in the Slack app settings';
}
