import { describe, expect, it } from '@jest/globals';
import { PrivateKeyRule } from './private-key.rule.js';

const check = (text: string) =>
  new PrivateKeyRule().check({ filename: 'certs/server.key', status: 'added', additions: 1, deletions: 0 }, [
    { line: 1, text },
  ]);

describe('secrets/private-key', () => {
  it.each([
    '-----BEGIN PRIVATE KEY-----',
    '-----BEGIN RSA PRIVATE KEY-----',
    '-----BEGIN OPENSSH PRIVATE KEY-----',
    '-----BEGIN ENCRYPTED PRIVATE KEY-----',
    '-----BEGIN PGP PRIVATE KEY BLOCK-----',
    'const key = "-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEE..."',
  ])('flags %s', (text) => {
    expect(check(text)).toEqual([
      expect.objectContaining({
        ruleId: 'secrets/private-key',
        severity: 'critical',
        path: 'certs/server.key',
        line: 1,
      }),
    ]);
  });

  it('ignores public keys and certificates', () => {
    expect(check('-----BEGIN PUBLIC KEY-----')).toEqual([]);
    expect(check('-----BEGIN CERTIFICATE-----')).toEqual([]);
    expect(check('-----BEGIN PGP PUBLIC KEY BLOCK-----')).toEqual([]);
  });
});
