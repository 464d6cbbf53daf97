import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { getRepositoryToken } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import type { FindManyOptions, FindOperator } from 'typeorm';
import { secretsConfig } from '../config/index.js';
import { Installation } from './installation.entity.js';
import { SecretCipher } from './secret-cipher.js';
import { SecretsRekeyService } from './secrets-rekey.service.js';

const KEY = randomBytes(32);
const OLD = randomBytes(32);
const underKey = new SecretCipher(KEY);
const underOld = new SecretCipher(OLD);

type Stored = Pick<
  Installation,
  'id' | 'fullName' | 'active' | 'secretEncrypted' | 'previousSecretEncrypted' | 'pendingSecretEncrypted'
>;

/** Installations read by id after the last id, the columns selected; the conditions the rekey writes under, evaluated. */
class FakeInstallations {
  /** Writes other processes store just before the rekey's next writes, in turn. */
  readonly meanwhile: Array<() => void> = [];

  constructor(readonly rows: Stored[]) {}

  find(options: FindManyOptions<Installation>): Promise<Installation[]> {
    const after = (options.where as { id?: FindOperator<string> }).id?.value;
    const found = this.rows.filter((r) => after === undefined || r.id > after).slice(0, options.take);
    // The secret columns are `select: false`: a row has only the columns selected.
    const selected = Object.keys(options.select ?? {}) as Array<keyof Stored>;
    return Promise.resolve(
      found.map((r) => Object.fromEntries(selected.map((column) => [column, r[column]]))) as unknown as Installation[],
    );
  }

  createQueryBuilder() {
    let values: Partial<Stored> = {};
    let where = '';
    let given: Record<string, unknown> = {};
    const chain = {
      update: () => chain,
      set: (set: Partial<Stored>) => ((values = set), chain),
      where: (clause: string, parameters: Record<string, unknown>) => ((where = clause), (given = parameters), chain),
      execute: () => {
        this.meanwhile.shift()?.();
        const row = this.rows.find((r) => r.id === given.id)!;
        const holds = where.split(' AND ').every((clause) => holdsFor(row, clause, given));
        // As TypeORM, a value left undefined is not written.
        if (holds)
          for (const [column, value] of Object.entries(values))
            if (value !== undefined) Object.assign(row, { [column]: value });
        return Promise.resolve({ affected: holds ? 1 : 0 });
      },
    };
    return chain;
  }
}

function holdsFor(row: Stored, clause: string, given: Record<string, unknown>): boolean {
  switch (clause) {
    case 'id = :id':
      return true;
    case 'secret_encrypted = :secret':
      return row.secretEncrypted === given.secret;
    case 'previous_secret_encrypted IS NOT DISTINCT FROM :previous':
      return row.previousSecretEncrypted === given.previous;
    case 'pending_secret_encrypted IS NOT DISTINCT FROM :pending':
      return row.pendingSecretEncrypted === given.pending;
    default:
      throw new Error(`A condition this fake does not know: ${clause}`);
  }
}

async function rekeyOf(installations: FakeInstallations) {
  const moduleRef = await Test.createTestingModule({
    providers: [
      SecretsRekeyService,
      { provide: getRepositoryToken(Installation), useValue: installations },
      {
        provide: secretsConfig.KEY,
        useValue: { key: KEY, previousKeys: [OLD], ephemeral: false, rotationGraceSeconds: 3600 },
      },
    ],
  }).compile();
  return moduleRef.get(SecretsRekeyService);
}

const stored = (more: Partial<Stored>): Stored => ({
  id: '00000000-0000-4000-8000-000000000001',
  fullName: 'octo/rekeyed',
  active: true,
  secretEncrypted: underOld.encrypt('current'),
  previousSecretEncrypted: null,
  pendingSecretEncrypted: null,
  ...more,
});

describe('SecretsRekeyService and the pending secret', () => {
  it('moves a pending secret under SECRETS_KEY with the others', async () => {
    const installations = new FakeInstallations([stored({ pendingSecretEncrypted: underOld.encrypt('pending') })]);
    expect(await (await rekeyOf(installations)).rekey()).toMatchObject({ reencrypted: 2, needPreviousKey: 0 });
    const [row] = installations.rows;
    expect(underKey.decrypt(row.secretEncrypted)).toBe('current');
    expect(underKey.decrypt(row.pendingSecretEncrypted!)).toBe('pending');
  });

  it('keeps a pending secret a rotation stored between its read and its write', async () => {
    const installations = new FakeInstallations([stored({})]);
    const [row] = installations.rows;
    // A rotation elsewhere stores its new secret as pending (GitHub may sign with it already).
    const pending = underKey.encrypt('sent to GitHub');
    installations.meanwhile.push(() => (row.pendingSecretEncrypted = pending));
    expect(await (await rekeyOf(installations)).rekey()).toMatchObject({ reencrypted: 1, needPreviousKey: 0 });
    expect(row.pendingSecretEncrypted).toBe(pending);
    expect(underKey.decrypt(row.secretEncrypted)).toBe('current');
  });
});
