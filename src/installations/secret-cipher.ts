import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * AES-256-GCM for webhook secrets at rest: a random 12-byte IV per value and the auth tag checked
 * on the way out. `v1:` names the format, not the key: a value is encrypted under the current key
 * and opens under it or any previous one (SECRETS_KEY_PREVIOUS), tried in turn. A wrong key fails
 * the 128-bit tag, so the key that opens a value is the one it was encrypted under; values carry
 * no key id, so every build reads what another build wrote under a key it has.
 */
export class SecretCipher {
  private readonly keys: readonly Buffer[];

  constructor(key: Buffer, previousKeys: readonly Buffer[] = []) {
    for (const k of [key, ...previousKeys]) if (k.length !== 32) throw new Error('SecretCipher needs 32-byte keys');
    this.keys = [key, ...previousKeys.filter((k) => !k.equals(key))];
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0], iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(
      ':',
    );
  }

  /** The plaintext, under whichever key opens it; throws when none does. */
  decrypt(stored: string): string {
    return this.open(stored).plaintext;
  }

  /**
   * `stored` as it must be kept: itself when the current key opens it, else re-encrypted under it;
   * undefined when no key given opens it (or it is not a stored value).
   */
  underCurrentKey(stored: string): string | undefined {
    try {
      const { plaintext, current } = this.open(stored);
      return current ? stored : this.encrypt(plaintext);
    } catch {
      return undefined;
    }
  }

  /** Whether a key given opens `stored`, re-encrypting nothing. */
  opens(stored: string): boolean {
    try {
      this.open(stored);
      return true;
    } catch {
      return false;
    }
  }

  private open(stored: string): { plaintext: string; current: boolean } {
    const [version, iv, tag, ciphertext] = stored.split(':');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined)
      throw new Error('Unrecognised encrypted secret format');
    for (const [index, key] of this.keys.entries()) {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      try {
        const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]);
        return { plaintext: plaintext.toString('utf8'), current: index === 0 };
      } catch {
        // Not this key (the tag does not match): the next one.
      }
    }
    throw new Error('No key given opens this encrypted secret');
  }
}

/** 32 random bytes, hex: the per-repository webhook secret GitHub signs deliveries with. */
export function generateWebhookSecret(): string {
  return randomBytes(32).toString('hex');
}
