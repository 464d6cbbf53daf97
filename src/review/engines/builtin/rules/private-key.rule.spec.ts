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

  it('flags keys as source code holds them: YAML blocks, concatenated strings, raw strings, armour headers', () => {
    const yaml = [
      'tls.key: |',
      '  -----BEGIN RSA PRIVATE KEY-----',
      ...BODY.map((l) => `  ${l}`),
      '  -----END RSA PRIVATE KEY-----',
    ];
    expect(check(...yaml)).toHaveLength(1);
    const js = [
      "const key = '-----BEGIN PRIVATE KEY-----\\n' +",
      ...BODY.map((l) => `  '${l}\\n' +`),
      "  '-----END PRIVATE KEY-----';",
    ];
    expect(check(...js)).toHaveLength(1);
    expect(check('const key = `-----BEGIN EC PRIVATE KEY-----', ...BODY, '-----END EC PRIVATE KEY-----`')).toHaveLength(
      1,
    );
    const encrypted = ['Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-128-CBC,3F17F5316E2BAC89', '', ...BODY];
    expect(check(...block('RSA PRIVATE KEY', encrypted))).toHaveLength(1);
  });

  it('leaves code and prose that only name the BEGIN line alone, however long the file', () => {
    const code = Array.from(
      { length: 20_000 },
      (_, i) => `\tblock${i} := parse(data[${i}:], opts) // the ${i}th block`,
    );
    const started = performance.now();
    expect(
      check('const rsaHeader = "-----BEGIN RSA PRIVATE KEY-----"', '', 'func IsKey(b []byte) bool {', ...code),
    ).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(
      check(
        'It starts with `-----BEGIN OPENSSH PRIVATE KEY-----` and ends with the matching END line, never commit it.',
      ),
    ).toEqual([]);
  });

  it('leaves public keys, certificates, stubs and placeholders alone', () => {
    expect(check(...block('PUBLIC KEY'))).toEqual([]);
    expect(check(...block('CERTIFICATE'))).toEqual([]);
    expect(check(...block('PRIVATE KEY', ['xxx']))).toEqual([]);
    expect(check(...block('RSA PRIVATE KEY', ['...']))).toEqual([]);
    expect(check('const marker = "-----BEGIN PRIVATE KEY-----";')).toEqual([]);
  });
});
