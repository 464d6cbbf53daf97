import type { Finding, ReviewFile } from '../../review-engine.js';
import type { DiffLine } from '../rule.js';
import { Rule } from '../rule.js';

// RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP … share this armour; public keys and certificates do not
// say PRIVATE. secretlint wants a full-length body; short test keys and PGP blocks are keys too.
const BEGIN = /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/i;
const END = /-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/i;
/** Less than this much key material between the armour lines is a stub (`...`, `xxx`). */
const MIN_BODY = 64;
/** More than a key's worth: past it the block is not a key, and the search stops. */
const MAX_BODY = 64 * 1024;
/** What wraps key lines in source: whitespace, quotes, `\n` escapes, line continuations, commas. */
const WRAPPING = /\\[nr]|[\s"'`\\,]/g;
/** Armour headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`, PGP's `Version: …`) are not material. */
const ARMOUR_HEADER = /^\s*["'`]?[A-Za-z][\w-]*: /;
// A line of base64 (PEM, OpenSSH; PGP's `=` checksum line), `+` of a string concatenation included.
const KEY_MATERIAL = /^=?[A-Za-z0-9+/]*={0,2}\+?$/;

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
      const material = keyMaterial(begin.text.slice(start.index + start[0].length), added, i + 1);
      if (material.length < MIN_BODY || /x{4,}|X{4,}/.test(material)) continue;
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

/**
 * The key material after a BEGIN armour line: `first` (the rest of that line) and the added lines
 * from `next` on, up to the END line, or up to the first line that is not key material (code that
 * merely names the header, `const header = "-----BEGIN … PRIVATE KEY-----"`, has none). Linear in
 * the lines read.
 */
function keyMaterial(first: string, added: DiffLine[], next: number): string {
  let material = '';
  for (let j = next - 1; j < added.length && material.length <= MAX_BODY; j++) {
    const text = j < next ? first : added[j].text;
    const end = END.exec(text);
    const part = (end ? text.slice(0, end.index) : text).replace(WRAPPING, '');
    if (j >= next && ARMOUR_HEADER.test(text) && !end) continue;
    if (!KEY_MATERIAL.test(part) || /\.{3}/.test(part)) return material;
    material += part;
    if (end) return material;
  }
  return material;
}
