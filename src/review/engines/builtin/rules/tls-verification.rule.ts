import { LineRule } from '../rule.js';

const CHECKS: Array<[RegExp, string]> = [
  [/\brejectUnauthorized\s*:\s*false\b/, '`rejectUnauthorized: false`'],
  [/\bNODE_TLS_REJECT_UNAUTHORIZED\b\s*[:=]\s*["'`]?0\b/, '`NODE_TLS_REJECT_UNAUTHORIZED=0`'],
  [/\bverify\s*=\s*False\b/, '`verify=False`'],
  [/\bInsecureSkipVerify\s*:\s*true\b/, '`InsecureSkipVerify: true`'],
  [/\bstrictSSL\s*:\s*false\b/, '`strictSSL: false`'],
  // Short flags may be bundled: `curl -fsSLk`.
  [/\bcurl\b.*\s(?:--insecure|-[a-zA-Z]*k[a-zA-Z]*)(?=\s|$)/, '`curl --insecure`'],
  [/\bwget\b.*\s--no-check-certificate\b/, '`wget --no-check-certificate`'],
];

export class TlsVerificationRule extends LineRule {
  readonly id = 'security/tls-verification-disabled';
  readonly severity = 'high' as const;
  readonly description = 'TLS certificate verification switched off.';

  protected inspect(text: string): string | undefined {
    const hit = CHECKS.find(([pattern]) => pattern.test(text));
    if (!hit) return undefined;
    return (
      `${hit[1]} disables TLS certificate verification, so anyone on the network path can ` +
      'impersonate the server. Keep verification on; trust a private CA explicitly if needed.'
    );
  }
}
