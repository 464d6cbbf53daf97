import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getRepositoryToken } from '@nestjs/typeorm';
import { createHmac, randomBytes } from 'node:crypto';
import type { Repository } from 'typeorm';
import { secretsConfig } from '../config/index.js';
import { GithubHooksClient } from './github-hooks.client.js';
import { Installation } from './installation.entity.js';
import { InstallationsService } from './installations.service.js';
import { SecretCipher } from './secret-cipher.js';

const KEY = randomBytes(32);

/** The service under SECRETS_KEY `KEY` (signatures only: no query is made here). */
async function service(previousKeys: Buffer[] = []) {
  const repository: Partial<Repository<Installation>> = {};
  const moduleRef = await Test.createTestingModule({
    providers: [
      InstallationsService,
      { provide: getRepositoryToken(Installation), useValue: repository },
      { provide: GithubHooksClient, useValue: {} },
      {
        provide: secretsConfig.KEY,
        useValue: { key: KEY, previousKeys, ephemeral: false, rotationGraceSeconds: 3600 },
      },
    ],
  }).compile();
  return moduleRef.get(InstallationsService);
}

const encryptedUnder = (key: Buffer, secret: string) => new SecretCipher(key).encrypt(secret);
const installation = (secretEncrypted: string) => ({ secretEncrypted }) as Installation;
const sign = (secret: string, body: Buffer) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('InstallationsService and SECRETS_KEY', () => {
  const body = Buffer.from('{"zen":"Keep it logically awesome."}');

  it('verifies a delivery signed with a secret stored under SECRETS_KEY', async () => {
    const installations = await service();
    const hooked = installation(encryptedUnder(KEY, 'right'));
    expect(installations.verifySignature(hooked, body, sign('right', body))).toBe(true);
    expect(installations.verifySignature(hooked, body, sign('wrong', body))).toBe(false);
  });

  it('refuses, without throwing, a delivery for a secret another key encrypted, and logs that once', async () => {
    const installations = await service();
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const foreign = installation(encryptedUnder(randomBytes(32), 'theirs'));
      for (let i = 0; i < 3; i++)
        expect(installations.verifySignature(foreign, body, sign('theirs', body))).toBe(false);
      expect(error).toHaveBeenCalledTimes(1);
      expect(String(error.mock.calls[0][0])).not.toContain('theirs');
    } finally {
      error.mockRestore();
    }
  });

  it('verifies with a secret only SECRETS_KEY_PREVIOUS opens', async () => {
    const old = randomBytes(32);
    const rotated = await service([old]);
    expect(rotated.verifySignature(installation(encryptedUnder(old, 'old')), body, sign('old', body))).toBe(true);
  });

  it('keeps the recently used decrypted secrets when its cache of 10 000 is full', async () => {
    const installations = await service();
    const hooked = Array.from({ length: 10_001 }, (_, i) => installation(encryptedUnder(KEY, `secret-${i}`)));
    const verify = (i: number) => installations.verifySignature(hooked[i], body, sign(`secret-${i}`, body));
    for (let i = 0; i < hooked.length; i++) expect(verify(i)).toBe(true);
    const decrypt = jest.spyOn(SecretCipher.prototype, 'decrypt');
    try {
      for (let i = 9_000; i < hooked.length; i++) expect(verify(i)).toBe(true);
      expect(decrypt).not.toHaveBeenCalled();
      expect(verify(0)).toBe(true); // the least recently used went first
      expect(decrypt).toHaveBeenCalledTimes(1);
    } finally {
      decrypt.mockRestore();
    }
  });
});
