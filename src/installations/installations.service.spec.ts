import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getRepositoryToken } from '@nestjs/typeorm';
import { createHmac, randomBytes } from 'node:crypto';
import type { Repository } from 'typeorm';
import { secretsConfig } from '../config/index.js';
import { GithubHooksClient } from './github-hooks.client.js';
import { HookChanges } from './hook-changes.js';
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
      HookChanges,
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

/** The update queries the service makes (createQueryBuilder().update().set().where().execute()), recorded. */
class FakeInstallations {
  readonly updates: Array<{ set: Partial<Installation>; where: string; parameters: Record<string, unknown> }> = [];
  readonly metadata = { columns: [] };
  /** What findOne answers, in turn. */
  readonly found: Array<Installation | null> = [];

  findOne(): Promise<Installation | null> {
    return Promise.resolve(this.found.shift() ?? null);
  }

  createQueryBuilder() {
    const update = { set: {} as Partial<Installation>, where: '', parameters: {} as Record<string, unknown> };
    const chain = {
      update: () => chain,
      set: (set: Partial<Installation>) => ((update.set = set), chain),
      where: (where: string, parameters: Record<string, unknown>) => (
        (update.where = where),
        (update.parameters = parameters),
        chain
      ),
      // Recorded a turn of the event loop later, as a query's answer comes: a write not awaited is seen as such.
      execute: async () => {
        await new Promise((resume) => setImmediate(resume));
        this.updates.push(update);
        return { affected: 1 };
      },
    };
    return chain;
  }
}

async function withRepository(installations: FakeInstallations) {
  const moduleRef = await Test.createTestingModule({
    providers: [
      InstallationsService,
      HookChanges,
      { provide: getRepositoryToken(Installation), useValue: installations },
      { provide: GithubHooksClient, useValue: {} },
      {
        provide: secretsConfig.KEY,
        useValue: { key: KEY, previousKeys: [], ephemeral: false, rotationGraceSeconds: 3600 },
      },
    ],
  }).compile();
  return moduleRef.get(InstallationsService);
}

describe('InstallationsService and a pending secret', () => {
  const body = Buffer.from('{"zen":"Keep it logically awesome."}');
  const hooked = (more: Partial<Installation> = {}) =>
    ({
      id: 'row-1',
      fullName: 'octo/pending',
      hookId: 7,
      secretEncrypted: encryptedUnder(KEY, 'current'),
      previousSecretEncrypted: encryptedUnder(KEY, 'previous'),
      previousSecretExpiresAt: new Date(Date.now() + 60_000),
      pendingSecretEncrypted: encryptedUnder(KEY, 'pending'),
      ...more,
    }) as Installation;
  const check = (installations: InstallationsService, installation: Installation, secret: string) => {
    const running = installations.signatureCheck(installation, sign(secret, body));
    running.update(body);
    return running;
  };

  it('verifies the pending secret after the current and the previous one, and tells which matched', async () => {
    const installations = await service();
    const installation = hooked();
    for (const [secret, matches, byPending] of [
      ['current', true, false],
      ['previous', true, false],
      ['pending', true, true],
      ['wrong', false, false],
    ] as const) {
      const running = check(installations, installation, secret);
      expect([running.matches(), running.byPending()]).toEqual([matches, byPending]);
    }
    // No pending secret: nothing but the current one (and the previous in its grace) verifies.
    expect(installations.verifySignature(hooked({ pendingSecretEncrypted: null }), body, sign('pending', body))).toBe(
      false,
    );
  });

  it('promotes the pending secret on a delivery signed with it, only while the row holds the secrets read', async () => {
    const repository = new FakeInstallations();
    const installations = await withRepository(repository);
    const installation = hooked();
    expect(await installations.accepts(installation, check(installations, installation, 'current'))).toBe(true);
    expect(repository.updates).toEqual([]); // GitHub still signs with the current secret: nothing to promote

    const before = Date.now();
    expect(await installations.accepts(installation, check(installations, installation, 'pending'))).toBe(true);
    expect(repository.updates).toHaveLength(1);
    const [{ set, where, parameters }] = repository.updates;
    expect(set).toMatchObject({
      secretEncrypted: installation.pendingSecretEncrypted,
      previousSecretEncrypted: installation.secretEncrypted,
      pendingSecretEncrypted: null,
    });
    expect(set.previousSecretExpiresAt!.getTime()).toBeGreaterThanOrEqual(before + 3600_000);
    expect(where).toBe('id = :id AND secret_encrypted = :secret AND pending_secret_encrypted = :pending');
    expect(parameters).toEqual({
      id: 'row-1',
      secret: installation.secretEncrypted,
      pending: installation.pendingSecretEncrypted,
    });
  });

  it('promotes the pending secret on a delivery found by its repository (no hook id header)', async () => {
    const repository = new FakeInstallations();
    const installations = await withRepository(repository);
    const installation = hooked();
    expect(await installations.verifyDelivery(installation, body, sign('pending', body))).toBe(true);
    expect(repository.updates).toHaveLength(1);
    expect(repository.updates[0].set.secretEncrypted).toBe(installation.pendingSecretEncrypted);
  });

  it('checks a failed signature again when another process stored a pending secret, and promotes it', async () => {
    const repository = new FakeInstallations();
    const installations = await withRepository(repository);
    const cached = hooked({ pendingSecretEncrypted: null });
    repository.found.push(cached);
    expect(await installations.findActiveByHookId(7)).toBe(cached);
    const stored = { ...cached, pendingSecretEncrypted: encryptedUnder(KEY, 'pending') } as Installation;
    repository.found.push(stored);
    expect(await installations.verifyDelivery(cached, body, sign('pending', body))).toBe(true);
    expect(repository.updates).toHaveLength(1);
    expect(repository.updates[0].set.secretEncrypted).toBe(stored.pendingSecretEncrypted);
  });
});

describe('InstallationsService over a fake HookChanges: its cache of hooks, re-installs', () => {
  const stored = (secret: string, more: Partial<Installation> = {}) =>
    ({
      id: 'row-1',
      owner: 'octo',
      name: 'cached',
      fullName: 'octo/cached',
      hookId: 7,
      events: ['push'],
      secretEncrypted: encryptedUnder(KEY, secret),
      previousSecretEncrypted: null,
      previousSecretExpiresAt: null,
      pendingSecretEncrypted: null,
      ...more,
    }) as Installation;

  async function withFakes(repository: FakeInstallations, changes: Partial<HookChanges>, hooks = {}) {
    const moduleRef = await Test.createTestingModule({
      providers: [
        InstallationsService,
        { provide: HookChanges, useValue: changes },
        { provide: getRepositoryToken(Installation), useValue: repository },
        { provide: GithubHooksClient, useValue: hooks },
        {
          provide: secretsConfig.KEY,
          useValue: { key: KEY, previousKeys: [], ephemeral: false, rotationGraceSeconds: 0 },
        },
      ],
    }).compile();
    return moduleRef.get(InstallationsService);
  }

  it('reads the hook again after a rotation here, not its cached secrets', async () => {
    const repository = new FakeInstallations();
    const before = stored('old');
    const rotated = stored('new', {
      previousSecretEncrypted: before.secretEncrypted,
      previousSecretExpiresAt: new Date(),
    });
    const installations = await withFakes(repository, {
      rotate: () => Promise.resolve({ installation: rotated, previousValidUntil: new Date() }),
    });
    repository.found.push(before, rotated);
    expect(await installations.findActiveByHookId(7)).toBe(before);
    await installations.rotateSecret('octo', 'cached');
    expect(await installations.findActiveByHookId(7)).toBe(rotated);
  });

  it('reads the hook again after promoting its pending secret', async () => {
    const repository = new FakeInstallations();
    const cached = stored('old', { pendingSecretEncrypted: encryptedUnder(KEY, 'pending') });
    const promoted = stored('pending');
    const installations = await withFakes(repository, { promote: () => Promise.resolve(true) });
    repository.found.push(cached, promoted);
    expect(await installations.findActiveByHookId(7)).toBe(cached);
    const body = Buffer.from('{}');
    const check = installations.signatureCheck(cached, sign('pending', body));
    check.update(body);
    expect(await installations.accepts(cached, check)).toBe(true);
    expect(await installations.findActiveByHookId(7)).toBe(promoted);
  });

  it('reads the hook again after a re-install here changed it, though a delivery cached it meanwhile', async () => {
    const repository = new FakeInstallations();
    const cached = stored('old', { pendingSecretEncrypted: encryptedUnder(KEY, 'pending') });
    const changed = stored('pending', { events: ['pull_request'] });
    const installations = await withFakes(
      repository,
      {
        versioned: () => Promise.resolve({ installation: cached, version: '1' }),
        // A delivery looked the hook up while GitHub was answering.
        change: async () => {
          expect(await installations.findActiveByHookId(7)).toBe(cached);
          return { installation: changed, version: '2' };
        },
      },
      { hookState: () => Promise.resolve('stale') },
    );
    repository.found.push(cached, changed);
    await installations.install('octo', 'cached', ['pull_request']);
    expect(await installations.findActiveByHookId(7)).toBe(changed);
  });

  it('stores the events a re-install asks for when GitHub has them already but the row does not', async () => {
    const row = stored('old');
    const changed: string[][] = [];
    const installations = await withFakes(
      new FakeInstallations(),
      {
        versioned: () => Promise.resolve({ installation: row, version: '1' }),
        change: (read, change) => {
          changed.push(change(read.installation).events);
          return Promise.resolve(read);
        },
      },
      { hookState: () => Promise.resolve('current') },
    );
    const { installation } = await installations.install('octo', 'cached', ['pull_request']);
    expect(changed).toEqual([['pull_request']]);
    expect(installation.events).toEqual(['pull_request']);
  });

  it('drops every stored secret when a re-install creates a new hook (the old one is gone on GitHub)', async () => {
    const repository = new FakeInstallations();
    const saved: Array<Partial<Installation>> = [];
    Object.assign(repository, { save: (row: Partial<Installation>) => (saved.push(row), Promise.resolve(row)) });
    const row = stored('old', {
      previousSecretEncrypted: encryptedUnder(KEY, 'previous'),
      previousSecretExpiresAt: new Date(Date.now() + 60_000),
      pendingSecretEncrypted: encryptedUnder(KEY, 'pending'),
    });
    const installations = await withFakes(
      repository,
      { versioned: () => Promise.resolve({ installation: row, version: '1' }) },
      { hookState: () => Promise.resolve('missing'), createHook: () => Promise.resolve(9) },
    );
    await installations.install('octo', 'cached');
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ hookId: 9, previousSecretEncrypted: null, pendingSecretEncrypted: null });
    const body = Buffer.from('{}');
    expect(installations.verifySignature(saved[0] as Installation, body, sign('pending', body))).toBe(false);
  });
});
