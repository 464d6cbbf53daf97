import { describe, expect, it } from '@jest/globals';
import { PrivateKeyRule } from './private-key.rule.js';

// Key material assembled at run time so that no scanner flags this file.
const BODY = ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDAC4AWkdwKYSd8', 'Ks14IReLcYgADhoXk56ZzXI='];
const check = (...lines: string[]) =>
  new PrivateKeyRule().check(
    { filename: 'certs/server.key', status: 'added', additions: lines.length, deletions: 0 },
    lines.map((text, i) => ({ line: i + 1, text })),
  );
const block = (kind: string, body = BODY) => [`-----BEGIN ${kind}-----`, ...body, `-----END ${kind}-----`];

describe('secrets/private-key', () => {
  it.each(['PRIVATE KEY', 'RSA PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PGP PRIVATE KEY BLOCK'])(
    'flags a %s block with key material, on its BEGIN line',
    (kind) => {
      expect(check('# key', ...block(kind))).toEqual([
        expect.objectContaining({
          ruleId: 'secrets/private-key',
          severity: 'critical',
          path: 'certs/server.key',
          line: 2,
        }),
      ]);
    },
  );

  it('flags a key pasted into a string with \\n escapes', () => {
    expect(
      check(`"private_key": "-----BEGIN PRIVATE KEY-----\\n${BODY.join('\\n')}\\n-----END PRIVATE KEY-----\\n"`),
    ).toHaveLength(1);
  });

  it('leaves public keys, certificates, stubs and placeholders alone', () => {
    expect(check(...block('PUBLIC KEY'))).toEqual([]);
    expect(check(...block('CERTIFICATE'))).toEqual([]);
    expect(check(...block('PRIVATE KEY', ['xxx']))).toEqual([]);
    expect(check(...block('RSA PRIVATE KEY', ['...']))).toEqual([]);
    expect(check('const marker = "-----BEGIN PRIVATE KEY-----";')).toEqual([]);
  });
});
