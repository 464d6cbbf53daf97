import { isPlaceholder } from '../secrets/placeholder.js';
import { LineRule, mask } from '../rule.js';

// `SG.` and 66 more characters, dots included (real keys are SG.<22>.<43>); secretlint's rule
// insists on that inner dot, gitleaks' does not.
const SENDGRID = /\bSG\.[A-Za-z0-9=_\-.]{66}(?![A-Za-z0-9=_\-.])/;

export class SendgridKeyRule extends LineRule {
  readonly id = 'secrets/sendgrid-key';
  readonly severity = 'critical' as const;
  readonly description = 'A SendGrid API key (`SG.` + 66 characters).';

  protected inspect(text: string): string | undefined {
    const key = SENDGRID.exec(text)?.[0];
    if (!key || isPlaceholder(key)) return undefined;
    return (
      `SendGrid API key \`${mask(key)}\` committed. Delete it in SendGrid's API key settings, then ` +
      'read it from the environment or a secrets manager.'
    );
  }
}
