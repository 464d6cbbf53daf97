import { LineRule } from '../rule.js';

// RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP … all share this armour line; public keys and
// certificates do not say PRIVATE.
const PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;

export class PrivateKeyRule extends LineRule {
  readonly id = 'secrets/private-key';
  readonly severity = 'critical' as const;
  readonly description = 'A PEM/PGP private key block added to the code.';

  protected inspect(text: string): string | undefined {
    if (!PRIVATE_KEY.test(text)) return undefined;
    return (
      'Private key committed. Treat it as compromised: replace the key pair, and load keys from ' +
      'a secrets manager or a file outside the repository.'
    );
  }
}
