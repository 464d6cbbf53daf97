import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { generateWebhookSecret, SecretCipher } from './secret-cipher.js';

describe('SecretCipher', () => {
  const cipher = new SecretCipher(randomBytes(32));

  it('round-trips, with a fresh IV every time and no plaintext in the output', () => {
    const secret = generateWebhookSecret();
    const a = cipher.encrypt(secret);
    const b = cipher.encrypt(secret);
    expect(a).not.toBe(b);
    expect(a.startsWith('v1:')).toBe(true);
    expect(a).not.toContain(secret);
    expect(cipher.decrypt(a)).toBe(secret);
    expect(cipher.decrypt(b)).toBe(secret);
  });

  it('rejects a tampered value (auth tag) and another key', () => {
    const stored = cipher.encrypt('s3cret');
    const parts = stored.split(':');
    const flipped = Buffer.from(parts[3], 'base64');
    flipped[0] ^= 1;
    expect(() => cipher.decrypt([parts[0], parts[1], parts[2], flipped.toString('base64')].join(':'))).toThrow();
    expect(() => new SecretCipher(randomBytes(32)).decrypt(stored)).toThrow();
    expect(() => cipher.decrypt('plain-text')).toThrow('Unrecognised');
  });

  it('generates 32-byte hex secrets', () => {
    expect(generateWebhookSecret()).toMatch(/^[0-9a-f]{64}$/);
    expect(generateWebhookSecret()).not.toBe(generateWebhookSecret());
  });

  it('insists on a 32-byte key', () => {
    expect(() => new SecretCipher(randomBytes(16))).toThrow();
  });
});
