import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getRepositoryToken } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import { FindOperator, type FindManyOptions, type Repository } from 'typeorm';
import { secretsConfig } from '../config/index.js';
import { Installation } from './installation.entity.js';
import { SecretCipher } from './secret-cipher.js';
import { SecretsBootCheck } from './secrets-boot-check.js';

const KEY = randomBytes(32);
const OLD = randomBytes(32);
const HOUR = 3600_000;

type Stored = Pick<
  Installation,
  | 'id'
  | 'fullName'
  | 'active'
  | 'secretEncrypted'
  | 'previousSecretEncrypted'
  | 'previousSecretExpiresAt'
  | 'pendingSecretEncrypted'
>;

const under = (key: Buffer, secret = randomBytes(32).toString('hex')) => new SecretCipher(key).encrypt(secret);
const row = (fullName: string, secretEncrypted: string, more: Partial<Stored> = {}): Stored => ({
  id: randomUUID(),
  fullName,
  active: true,
  secretEncrypted,
  previousSecretEncrypted: null,
  previousSecretExpiresAt: null,
  pendingSecretEncrypted: null,
  ...more,
});

/** Installations `stored`, read the way the check reads them: active, by id, after the last id. */
class FakeInstallations implements Pick<Repository<Installation>, 'find'> {
  readonly reads: Array<FindManyOptions<Installation>> = [];

  constructor(private readonly stored: Stored[]) {}

  find(options: FindManyOptions<Installation> = {}): Promise<Installation[]> {
    this.reads.push(options);
    const where = options.where as { active?: boolean; id?: FindOperator<string> };
    const after = where.id?.value;
    const rows = this.stored
      .filter((r) => where.active === undefined || r.active === where.active)
      .filter((r) => after === undefined || r.id > after)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, options.take);
    return Promise.resolve(rows as Installation[]);
  }
}

async function boot(stored: Stored[], previousKeys: Buffer[] = []) {
  const installations = new FakeInstallations(stored);
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  const moduleRef = await Test.createTestingModule({
    providers: [
      SecretsBootCheck,
      { provide: getRepositoryToken(Installation), useValue: installations },
      {
        provide: secretsConfig.KEY,
        useValue: { key: KEY, previousKeys, ephemeral: false, rotationGraceSeconds: 3600 },
      },
    ],
  }).compile();
  const outcome = await moduleRef
    .get(SecretsBootCheck)
    .onApplicationBootstrap()
    .then(
      () => 'booted',
      (error: Error) => error.message,
    );
  const warnings = warn.mock.calls.map(([message]) => String(message));
  warn.mockRestore();
  return { outcome, reads: installations.reads, warnings };
}

describe('SecretsBootCheck', () => {
  it('boots with no installation, and with every secret opening under SECRETS_KEY or SECRETS_KEY_PREVIOUS', async () => {
    expect((await boot([])).outcome).toBe('booted');
    const stored = [row('o/new', under(KEY)), row('o/old', under(OLD), { previousSecretEncrypted: under(OLD) })];
    expect((await boot(stored, [OLD])).outcome).toBe('booted');
  });

  it('reads every active installation in batches of 1000, each after the last id read, never by offset', async () => {
    const stored = Array.from({ length: 2500 }, (_, i) => row(`o/r${i}`, under(KEY)));
    stored.push(row('o/gone', under(OLD), { active: false }));
    const { outcome, reads } = await boot(stored);
    expect(outcome).toBe('booted');
    expect(reads).toHaveLength(3);
    for (const read of reads) {
      expect(read).toMatchObject({ take: 1000, order: { id: 'ASC' }, where: { active: true } });
      expect(read.skip).toBeUndefined();
    }
  });

  it('refuses the boot when one older installation needs a dropped key, naming it and no secret', async () => {
    const secret = 'the-old-webhook-secret';
    const stored = [
      row('octo/older', under(OLD, secret)),
      ...Array.from({ length: 1500 }, (_, i) => row(`o/r${i}`, under(KEY))),
    ];
    const { outcome } = await boot(stored);
    expect(outcome).toBe(
      'Invalid configuration: SECRETS_KEY does not decrypt the stored webhook secrets of 1 active installation ' +
        '(octo/older), whose deliveries would be refused; put the key they were encrypted with back in ' +
        'SECRETS_KEY_PREVIOUS, then run npm run secrets:rekey (docs/reliability.md, "Rotating SECRETS_KEY")',
    );
    expect(outcome).not.toContain(secret);
    expect(outcome).not.toContain(stored[0].secretEncrypted);
  });

  it('counts the installations whose secret no key opens and names two', async () => {
    const stored = [
      row('o/ok', under(KEY)),
      ...['o/a', 'o/b', 'o/c'].map((name) => row(name, under(OLD))),
      row('o/d', under(KEY), {
        previousSecretEncrypted: under(OLD),
        previousSecretExpiresAt: new Date(Date.now() + HOUR),
      }),
    ];
    const { outcome, warnings } = await boot(stored, [randomBytes(32)]);
    expect(warnings).toEqual([]); // the refusal is the one line
    expect(outcome).toMatch(
      /^Invalid configuration: neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS decrypts the stored webhook secrets of 3 active installations \(o\/[abc], o\/[abc] and 1 more\), whose deliveries would be refused; put the key .* back in SECRETS_KEY_PREVIOUS, then run npm run secrets:rekey/,
    );
  });

  it('warns of a previous secret no key opens while its grace lasts, not after; reads no uninstalled repository', async () => {
    const graced = (expires: number) =>
      row('o/rotated', under(KEY), { previousSecretEncrypted: under(OLD), previousSecretExpiresAt: new Date(expires) });
    expect(await boot([graced(Date.now() + HOUR)])).toMatchObject({
      outcome: 'booted',
      warnings: [
        'No key given opens the previous webhook secret of 1 installation, still within its rotation grace: ' +
          'deliveries signed with it are refused',
      ],
    });
    expect(await boot([graced(Date.now() - 1000)])).toMatchObject({ outcome: 'booted', warnings: [] });
    expect((await boot([row('o/ok', under(KEY)), row('o/gone', under(OLD), { active: false })])).outcome).toBe(
      'booted',
    );
  });

  it('boots with a warning when no key opens a pending secret (a rotation GitHub may have applied)', async () => {
    expect(await boot([row('o/pending', under(KEY), { pendingSecretEncrypted: under(OLD) })])).toMatchObject({
      outcome: 'booted',
      warnings: [
        'No key given opens the pending webhook secret of 1 installation (a rotation GitHub may have applied): ' +
          'deliveries signed with it are refused; rotate the secret again',
      ],
    });
    expect(await boot([row('o/pending', under(KEY), { pendingSecretEncrypted: under(KEY) })])).toMatchObject({
      outcome: 'booted',
      warnings: [],
    });
  });

  it('names the installations, not the key, when the key opens a pending secret though no current one', async () => {
    const { outcome } = await boot([row('o/a', under(OLD), { pendingSecretEncrypted: under(KEY) })]);
    expect(outcome).toMatch(
      /^Invalid configuration: SECRETS_KEY does not decrypt the stored webhook secrets of 1 active installation \(o\/a\)/,
    );
  });

  it('keeps naming the key alone when it opens no stored secret at all', async () => {
    const stored = [row('o/a', under(OLD)), row('o/b', under(OLD))];
    expect((await boot(stored)).outcome).toMatch(
      /^Invalid configuration: SECRETS_KEY does not decrypt the stored webhook secrets; .*SECRETS_KEY_PREVIOUS.*npm run secrets:rekey/,
    );
    expect((await boot(stored, [randomBytes(32)])).outcome).toMatch(
      /^Invalid configuration: neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS decrypts the stored webhook secrets; give the key/,
    );
    expect((await boot(stored, [OLD])).outcome).toBe('booted');
  });
});
