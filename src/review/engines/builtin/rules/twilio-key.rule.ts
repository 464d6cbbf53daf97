import { isPlaceholder } from '../secrets/placeholder.js';
import { LineRule, mask } from '../rule.js';

// API key sids are `SK` + 32 hex digits; account sids (`AC…`) identify, they do not authenticate.
const TWILIO_KEY = /\bSK[0-9a-fA-F]{32}\b/;

export class TwilioKeyRule extends LineRule {
  readonly id = 'secrets/twilio-key';
  readonly severity = 'high' as const;
  readonly description = 'A Twilio API key (`SK` + 32 hex digits).';

  protected inspect(text: string): string | undefined {
    const key = TWILIO_KEY.exec(text)?.[0];
    if (!key || isPlaceholder(key)) return undefined;
    return (
      `Twilio API key \`${mask(key)}\` committed. Delete it in the Twilio console, then read ` +
      'it from the environment or a secrets manager.'
    );
  }
}
