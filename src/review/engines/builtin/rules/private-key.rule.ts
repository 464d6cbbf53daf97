import type { Finding, ReviewFile } from '../../review-engine.js';
import type { DiffLine } from '../rule.js';
import { Rule } from '../rule.js';

// RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP … share this armour; public keys and certificates do not
// say PRIVATE. secretlint wants a full-length body; short test keys and PGP blocks are keys too.
const BEGIN = /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/i;
const END = /-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/i;
/** Less than this much key material between the armour lines is a stub (`...`, `xxx`). */
const MIN_BODY = 64;

export class PrivateKeyRule extends Rule {
  readonly id = 'secrets/private-key';
  readonly severity = 'critical' as const;
  readonly description = 'A PEM/OpenSSH/PGP private key block with key material in it.';

  override check(file: ReviewFile, added: DiffLine[]): Finding[] {
    const findings: Finding[] = [];
    for (let i = 0; i < added.length; i++) {
      const begin = added[i];
      const start = BEGIN.exec(begin.text);
      if (!start) continue;
      let body = begin.text.slice(start.index + start[0].length);
      for (let j = i + 1; j < added.length && !END.test(body); j++) body += added[j].text;
      const material = body
        .replace(END, '')
        .replace(/-----END[\s\S]*$/, '')
        .replace(/[\s"'\\,]|\\n/g, '');
      if (material.length < MIN_BODY || /x{4,}|X{4,}|\.{3}/.test(material)) continue;
      findings.push(
        this.finding(
          file.filename,
          begin.line,
          'Private key committed. Treat it as compromised: replace the key pair, and load keys from ' +
            'a secrets manager or a file outside the repository.',
        ),
      );
    }
    return findings;
  }
}
