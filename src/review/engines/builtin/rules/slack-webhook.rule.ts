import { isPlaceholder } from '../secrets/placeholder.js';
import { LineRule, mask } from '../rule.js';

// secretlint knows only `services/T…/B…/…` webhooks; workflow and trigger URLs post too.
const WEBHOOK = /hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9+/]{43,56})/;

export class SlackWebhookRule extends LineRule {
  readonly id = 'secrets/slack-webhook';
  readonly severity = 'high' as const;
  readonly description = 'A Slack incoming-webhook, workflow or trigger URL (anyone holding it can post).';

  protected inspect(text: string): string | undefined {
    const path = WEBHOOK.exec(text)?.[1];
    if (!path || isPlaceholder(path) || /X{4,}|x{4,}/.test(path)) return undefined;
    return (
      `Slack webhook URL \`…/${mask(path)}\` committed. Anyone holding it can post to the channel: ` +
      'regenerate it in the Slack app settings and read it from the environment.'
    );
  }
}
