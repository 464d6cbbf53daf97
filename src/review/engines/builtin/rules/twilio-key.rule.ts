import { TokenRule } from '../rule.js';

// API key sids are `SK` + 32 hex digits; account sids (`AC…`) identify, they do not authenticate.
const TWILIO_KEY = /\bSK[0-9a-fA-F]{32}\b/;

export class TwilioKeyRule extends TokenRule {
  readonly id = 'secrets/twilio-key';
  readonly severity = 'high' as const;
  readonly description = 'A Twilio API key (`SK` + 32 hex digits).';
  protected readonly pattern = TWILIO_KEY;
  protected readonly label = 'Twilio API key';
  protected readonly revoke = 'Delete it in the Twilio console';
}
