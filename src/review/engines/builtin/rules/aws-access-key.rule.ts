import { LineRule, mask } from '../rule.js';

// AKIA: long-lived IAM user keys; ASIA: temporary STS keys (still usable until they expire).
const AWS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/;

export class AwsAccessKeyRule extends LineRule {
  readonly id = 'secrets/aws-access-key';
  readonly severity = 'critical' as const;
  readonly description = 'An AWS access key id (AKIA…/ASIA…) added to the code.';

  protected inspect(text: string): string | undefined {
    const key = AWS_KEY_ID.exec(text)?.[0];
    if (!key) return undefined;
    return (
      `AWS access key id \`${mask(key)}\` committed. Deactivate it in IAM now (it is in the git ` +
      'history), then load credentials from the environment or a secrets manager.'
    );
  }
}
