import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { getRepositoryToken } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { appConfig, secretsConfig } from '../config/index.js';
import { GITHUB_INTERACTIVE_CLIENT } from '../github/github.module.js';
import { GithubHooksClient } from './github-hooks.client.js';
import { HookChanges } from './hook-changes.js';
import { Installation } from './installation.entity.js';
import { SecretCipher } from './secret-cipher.js';

const KEY = randomBytes(32);
const cipher = new SecretCipher(KEY);

/** An octokit-like error: GitHub answered `status` (and applied nothing). */
const answered = (status: number) =>
  Object.assign(new Error('Validation Failed'), {
    status,
    response: { status, headers: {}, data: { message: 'Validation Failed' } },
  });

/** One installation row, its version (Postgres' xmin) a counter; the conditions HookChanges writes under, evaluated. */
class OneRow {
  version = 1;
  /** Writes other processes store just before this one's next writes, in turn. */
  readonly meanwhile: Array<() => void> = [];

  constructor(readonly row: Installation) {}

  /** A write by anyone (another process included): a new version. */
  write(values: Partial<Installation>): void {
    Object.assign(this.row, values);
    this.version++;
  }

  createQueryBuilder() {
    let values: Partial<Installation> = {};
    let where = '';
    let parameters: Record<string, unknown> = {};
    const chain = {
      addSelect: () => chain,
      update: () => chain,
      set: (set: Partial<Installation>) => ((values = set), chain),
      where: (clause: string, given: Record<string, unknown>) => ((where = clause), (parameters = given), chain),
      getRawAndEntities: () =>
        Promise.resolve({ entities: [{ ...this.row }], raw: [{ version: String(this.version) }] }),
      // Applied a turn of the event loop later, as a query's answer comes: a write not awaited is seen as such.
      execute: async () => {
        await new Promise((resume) => setImmediate(resume));
        this.meanwhile.shift()?.();
        const holds = where.split(' AND ').every((clause) => this.holds(clause, parameters));
        if (holds) this.write(values);
        return { affected: holds ? 1 : 0 };
      },
    };
    return chain;
  }

  private holds(clause: string, given: Record<string, unknown>): boolean {
    switch (clause) {
      case 'id = :id':
        return given.id === this.row.id;
      case 'xmin::text = :version':
        return given.version === String(this.version);
      case 'secret_encrypted = :secret':
        return given.secret === this.row.secretEncrypted;
      case 'pending_secret_encrypted = :pending':
        return given.pending === this.row.pendingSecretEncrypted;
      default:
        throw new Error(`A condition this fake does not know: ${clause}`);
    }
  }
}

/**
 * GitHub's hook: each PATCH takes the next answer (run first: what happens meanwhile, then an error
 * GitHub answered with, applying nothing), else is applied.
 */
class FakeHook {
  secret: string | null = null;
  readonly sent: string[] = [];
  readonly answers: Array<() => Error | undefined> = [];
  readonly rest = {
    repos: {
      updateWebhook: ({ config }: { config: { secret: string } }) => {
        this.sent.push(config.secret);
        const failure = this.answers.shift()?.();
        if (failure) return Promise.reject(failure);
        this.secret = config.secret;
        return Promise.resolve({ status: 200, data: {} });
      },
    },
  };
}

async function hookChanges(row: OneRow, github: FakeHook, previousKeys: Buffer[] = []) {
  const moduleRef = await Test.createTestingModule({
    providers: [
      HookChanges,
      GithubHooksClient,
      { provide: getRepositoryToken(Installation), useValue: row },
      { provide: GITHUB_INTERACTIVE_CLIENT, useValue: github },
      { provide: appConfig.KEY, useValue: { backendUrl: 'http://127.0.0.1:3000' } },
      {
        provide: secretsConfig.KEY,
        useValue: { key: KEY, previousKeys, ephemeral: false, rotationGraceSeconds: 3600 },
      },
    ],
  }).compile();
  return moduleRef.get(HookChanges);
}

const installed = (more: Partial<Installation> = {}) =>
  new OneRow({
    id: 'row-1',
    owner: 'octo',
    name: 'hooked',
    fullName: 'octo/hooked',
    hookId: 7,
    events: ['pull_request'],
    active: true,
    secretEncrypted: cipher.encrypt('current'),
    previousSecretEncrypted: null,
    previousSecretExpiresAt: null,
    pendingSecretEncrypted: null,
    ...more,
  } as Installation);

describe('HookChanges.rotate when GitHub refuses it', () => {
  it('keeps a pending secret an earlier rotation may have sent when GitHub refuses sending it again', async () => {
    // An earlier rotation's answer was lost: GitHub may sign with this pending secret already.
    const stored = cipher.encrypt('sent before');
    const row = installed({ pendingSecretEncrypted: stored });
    const github = new FakeHook();
    github.answers.push(() => answered(422));
    await expect((await hookChanges(row, github)).rotate('octo/hooked')).rejects.toMatchObject({ status: 422 });
    expect(github.sent).toEqual(['sent before']);
    expect(row.row.pendingSecretEncrypted).toBe(stored);
  });

  it('drops the pending secret it created when GitHub refuses it, but not one stored meanwhile', async () => {
    const row = installed();
    const github = new FakeHook();
    github.answers.push(() => answered(422));
    const changes = await hookChanges(row, github);
    await expect(changes.rotate('octo/hooked')).rejects.toMatchObject({ status: 422 });
    expect(row.row.pendingSecretEncrypted).toBeNull();

    // Between GitHub's refusal and the drop, another process promoted that secret and stored one of its own.
    const theirs = cipher.encrypt('theirs');
    github.answers.push(() => {
      row.write({ secretEncrypted: row.row.pendingSecretEncrypted!, pendingSecretEncrypted: theirs });
      return answered(422);
    });
    await expect(changes.rotate('octo/hooked')).rejects.toMatchObject({ status: 422 });
    expect(row.row.pendingSecretEncrypted).toBe(theirs);
  });

  it('keeps the pending secret GitHub applied when it refuses the same secret sent again after a change meanwhile', async () => {
    const row = installed();
    const github = new FakeHook();
    // The first PATCH is applied, and a re-install elsewhere stores its events meanwhile; the second is refused.
    github.answers.push(
      () => (row.write({ events: ['push'] }), undefined),
      () => answered(422),
    );
    await expect((await hookChanges(row, github)).rotate('octo/hooked')).rejects.toMatchObject({ status: 422 });
    expect(github.secret).not.toBe('current');
    expect(cipher.decrypt(row.row.pendingSecretEncrypted!)).toBe(github.secret);
  });
});

describe('HookChanges and a pending secret no key opens', () => {
  it('replaces a pending secret no key opens with a new one, and rotates', async () => {
    const lost = new SecretCipher(randomBytes(32)).encrypt('under a dropped key');
    const row = installed({ pendingSecretEncrypted: lost });
    const github = new FakeHook();
    await (await hookChanges(row, github)).rotate('octo/hooked');
    expect(github.secret).not.toBe('current');
    expect(cipher.decrypt(row.row.secretEncrypted)).toBe(github.secret);
    expect(row.row.pendingSecretEncrypted).toBeNull();
  });

  it('clears a pending secret no key opens, sending the current secret', async () => {
    const row = installed({ pendingSecretEncrypted: new SecretCipher(randomBytes(32)).encrypt('lost') });
    const github = new FakeHook();
    const changes = await hookChanges(row, github);
    const read = (await changes.versioned('octo/hooked'))!;
    await changes.change(read, () => ({ events: ['push'], stored: { events: ['push'] } }));
    expect(github.sent).toEqual(['current']);
    expect(row.row).toMatchObject({ events: ['push'], pendingSecretEncrypted: null });
  });
});

describe('HookChanges under concurrent changes', () => {
  it('sends the pending secret another rotation stored between its read and its write, not one of its own', async () => {
    const row = installed();
    const theirs = cipher.encrypt('theirs');
    row.meanwhile.push(() => row.write({ pendingSecretEncrypted: theirs }));
    const github = new FakeHook();
    await (await hookChanges(row, github)).rotate('octo/hooked');
    expect(github.sent).toEqual(['theirs']);
    expect(row.row).toMatchObject({ secretEncrypted: theirs, pendingSecretEncrypted: null });
  });
});

describe('HookChanges: what a rotation stores', () => {
  it('sends GitHub the new secret once and stores it as the secret, the old one as previous', async () => {
    const row = installed();
    const github = new FakeHook();
    const before = Date.now();
    const { previousValidUntil } = await (await hookChanges(row, github)).rotate('octo/hooked');
    expect(previousValidUntil.getTime()).toBeGreaterThanOrEqual(before + 3600_000);
    expect(row.row.previousSecretExpiresAt).toEqual(previousValidUntil);
    expect(github.sent).toHaveLength(1);
    expect(github.sent[0]).not.toBe('current');
    expect(cipher.decrypt(row.row.secretEncrypted)).toBe(github.secret);
    expect(cipher.decrypt(row.row.previousSecretEncrypted!)).toBe('current');
    expect(row.row.pendingSecretEncrypted).toBeNull();
  });

  it('stores the rotated secrets under SECRETS_KEY when a previous key opened them', async () => {
    const old = randomBytes(32);
    const underOld = new SecretCipher(old);
    const row = installed({
      secretEncrypted: underOld.encrypt('current'),
      pendingSecretEncrypted: underOld.encrypt('sent before'),
    });
    const github = new FakeHook();
    await (await hookChanges(row, github, [old])).rotate('octo/hooked');
    expect(github.sent).toEqual(['sent before']);
    expect(cipher.decrypt(row.row.secretEncrypted)).toBe('sent before');
    expect(cipher.decrypt(row.row.previousSecretEncrypted!)).toBe('current');
  });
});
