import { isPlaceholder } from '../secrets/placeholder.js';
import { LineRule, mask } from '../rule.js';

// Every prefix AWS documents for unique ids that are credentials: AKIA user keys, ASIA STS keys,
// ABIA STS bearer tokens, ACCA context-specific keys, plus the older A3T… form. secretlint's AWS
// rule reports key ids only together with account numbers, which are not secrets.
const AWS_KEY_ID = /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g;

export class AwsAccessKeyRule extends LineRule {
  readonly id = 'secrets/aws-access-key';
  readonly severity = 'critical' as const;
  readonly description = 'An AWS access key id (AKIA, ASIA, ABIA, ACCA, A3T…).';

  protected inspect(text: string): string | undefined {
    const key = [...text.matchAll(AWS_KEY_ID)].map((m) => m[0]).find((k) => !isPlaceholder(k));
    if (!key) return undefined;
    return (
      `AWS access key id \`${mask(key)}\` committed. Deactivate it in IAM now (it is in the git ` +
      'history), then load credentials from the environment or a secrets manager.'
    );
  }
}
