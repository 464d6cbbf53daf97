import { TokenRule } from '../rule.js';

// `SG.` and 66 more characters, dots included (real keys are SG.<22>.<43>); secretlint's rule
// insists on that inner dot, gitleaks' does not.
const SENDGRID = /\bSG\.[A-Za-z0-9=_\-.]{66}(?![A-Za-z0-9=_\-.])/;

export class SendgridKeyRule extends TokenRule {
  readonly id = 'secrets/sendgrid-key';
  readonly severity = 'critical' as const;
  readonly description = 'A SendGrid API key (`SG.` + 66 characters).';
  protected readonly pattern = SENDGRID;
  protected readonly label = 'SendGrid API key';
  protected readonly revoke = "Delete it in SendGrid's API key settings";
}
