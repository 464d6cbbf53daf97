import { isPlaceholder } from '../secrets/placeholder.js';
import { LineRule, mask } from '../rule.js';

// STS session tokens are long base64; the name is what makes one recognisable.
const SESSION_TOKEN = /aws_?session_?token["']?\s*(?::=|=>|[:=])\s*["']?([A-Za-z0-9/+=]{100,})/i;

export class AwsSessionTokenRule extends LineRule {
  readonly id = 'secrets/aws-session-token';
  readonly severity = 'high' as const;
  readonly description = 'An AWS STS session token assigned to `aws_session_token` (expires, but works until then).';

  protected inspect(text: string): string | undefined {
    const token = SESSION_TOKEN.exec(text)?.[1];
    if (!token || isPlaceholder(token)) return undefined;
    return (
      `AWS session token \`${mask(token)}\` committed. Revoke the role session, then load ` +
      'credentials from the environment or a secrets manager.'
    );
  }
}
