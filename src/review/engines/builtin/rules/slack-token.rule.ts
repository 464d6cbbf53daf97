import { isPlaceholder } from '../secrets/placeholder.js';
import { LineRule, mask } from '../rule.js';

// What secretlint's Slack rule leaves out: configuration tokens (`xoxe.xoxp-`), their refresh
// tokens (`xoxe-`) and legacy workspace tokens (`xoxs-`). Its rule covers bot, user and app tokens.
const SLACK_TOKEN =
  /\b(?:xoxe\.xox[bp]-\d-[A-Za-z0-9]{150,170}|xoxe-\d-[A-Za-z0-9]{140,150}|xoxs-\d{8,14}-[A-Za-z0-9-]{20,})/;

export class SlackTokenRule extends LineRule {
  readonly id = 'secrets/slack-token';
  readonly severity = 'critical' as const;
  readonly description = 'A Slack bot, user, app, configuration or legacy token.';

  protected inspect(text: string): string | undefined {
    const token = SLACK_TOKEN.exec(text)?.[0];
    if (!token || isPlaceholder(token)) return undefined;
    return (
      `Slack token \`${mask(token)}\` committed. Revoke it in the Slack app settings, then read ` +
      'it from the environment or a secrets manager.'
    );
  }
}
