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

  describe('with previous keys (SECRETS_KEY_PREVIOUS)', () => {
    const [a, b, c] = [randomBytes(32), randomBytes(32), randomBytes(32)];

    it('encrypts under the current key and opens values under the current or any previous key', () => {
      const rotated = new SecretCipher(b, [c, a]);
      const underA = new SecretCipher(a).encrypt('from a');
      const underC = new SecretCipher(c).encrypt('from c');
      expect(rotated.decrypt(underA)).toBe('from a');
      expect(rotated.decrypt(underC)).toBe('from c');
      const written = rotated.encrypt('new');
      expect(new SecretCipher(b).decrypt(written)).toBe('new');
      expect(() => new SecretCipher(a).decrypt(written)).toThrow();
      expect(() => rotated.decrypt(new SecretCipher(randomBytes(32)).encrypt('x'))).toThrow('No key');
    });

    it('moves a value under the current key, leaving one already there as it is', () => {
      const rotated = new SecretCipher(b, [a]);
      const underA = new SecretCipher(a).encrypt('s');
      const moved = rotated.underCurrentKey(underA);
      expect(moved).not.toBe(underA);
      expect(new SecretCipher(b).decrypt(moved!)).toBe('s');
      expect(rotated.underCurrentKey(moved!)).toBe(moved);
      expect(rotated.underCurrentKey(new SecretCipher(c).encrypt('s'))).toBeUndefined();
      expect(rotated.underCurrentKey('not a stored value')).toBeUndefined();
    });

    it('says whether a key given opens a value, under the current key or a previous one', () => {
      const rotated = new SecretCipher(b, [a]);
      expect(rotated.opens(new SecretCipher(a).encrypt('s'))).toBe(true);
      expect(rotated.opens(rotated.encrypt('s'))).toBe(true);
      expect(rotated.opens(new SecretCipher(c).encrypt('s'))).toBe(false);
      expect(rotated.opens('v1:not:a:value')).toBe(false);
    });

    it('ignores a previous key equal to the current one and insists on 32 bytes for each', () => {
      const same = new SecretCipher(a, [Buffer.from(a)]);
      const value = same.encrypt('s');
      expect(same.underCurrentKey(value)).toBe(value);
      expect(() => new SecretCipher(a, [randomBytes(16)])).toThrow();
    });
  });

  it('generates 32-byte hex secrets', () => {
    expect(generateWebhookSecret()).toMatch(/^[0-9a-f]{64}$/);
    expect(generateWebhookSecret()).not.toBe(generateWebhookSecret());
  });

  it('insists on a 32-byte key', () => {
    expect(() => new SecretCipher(randomBytes(16))).toThrow();
  });
});
