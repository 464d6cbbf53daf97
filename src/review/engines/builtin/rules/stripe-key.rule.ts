import type { Finding, ReviewFile } from '../../review-engine.js';
import type { DiffLine } from '../rule.js';
import { isPlaceholder } from '../secrets/placeholder.js';
import { Rule, mask } from '../rule.js';

// Secret (sk_) and restricted (rk_) keys; publishable keys (pk_) are meant to be public.
// At least 24 characters after the prefix, as Stripe issues them (shorter ones are doc stubs).
const STRIPE_KEY = /\b(?:sk|rk)_(test|live|prod)_[A-Za-z0-9]{24,99}\b/;

export class StripeKeyRule extends Rule {
  readonly id = 'secrets/stripe-key';
  readonly severity = 'critical' as const;
  readonly description = 'A Stripe secret or restricted key (live keys critical, test keys medium).';

  override check(file: ReviewFile, added: DiffLine[]): Finding[] {
    return added.flatMap(({ line, text }) => {
      const match = STRIPE_KEY.exec(text);
      if (!match || isPlaceholder(match[0])) return [];
      const finding = this.finding(
        file.filename,
        line,
        `Stripe key \`${mask(match[0])}\` committed. Roll it in the Stripe dashboard, then read it ` +
          'from the environment or a secrets manager.',
      );
      // A test-mode key moves no money: worth a comment, not a blocked merge.
      return [match[1] === 'test' ? { ...finding, severity: 'medium' as const } : finding];
    });
  }
}
