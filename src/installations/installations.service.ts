import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { IsNull, Repository, type FindOptionsSelect } from 'typeorm';
import { LruMap } from '../common/lru-map.js';
import { secretsConfig } from '../config/index.js';
import { GithubHooksClient, HookExistsException } from './github-hooks.client.js';
import { DEFAULT_EVENTS } from './github-names.js';
import { HookChanges, type Versioned } from './hook-changes.js';
import { Installation } from './installation.entity.js';
import { generateWebhookSecret, SecretCipher } from './secret-cipher.js';

const UNIQUE_VIOLATION = '23505';
const SIGNATURE = /^sha256=[0-9a-f]{64}$/;
/**
 * Webhook lookups by hook id are cached this long per process: every delivery needs one. Changes
 * made here clear the cache; another process's change is seen within this time, and a signature
 * that fails against a cached entry is checked again against the database (a rotation elsewhere).
 */
const HOOK_CACHE_MS = 5000;
const MAX_CACHED_SECRETS = 10_000;
/**
 * How long an install GitHub refused a second hook waits for the concurrent install that created
 * the first to store it (that install saves right after GitHub answers it), polling every 100 ms.
 */
const CONCURRENT_INSTALL_WAIT_MS = 3000;

/** A signature checked over a body as it arrives. */
export interface SignatureCheck {
  update(chunk: Buffer): void;
  matches(): boolean;
  /** After matches(): only the pending secret matched (GitHub signs with it, so it has it). */
  byPending(): boolean;
}

@Injectable()
export class InstallationsService {
  private readonly logger = new Logger(InstallationsService.name);
  private readonly cipher: SecretCipher;
  /** Ciphertexts no key given can open: warned about once, never tried again. */
  private readonly undecryptable = new Set<string>();
  private readonly byHookId = new Map<number, { installation: Installation; expires: number }>();
  /** Decrypted secrets by their ciphertext: AES-GCM per delivery is avoidable work. Memory only. */
  private readonly plaintext = new LruMap<string, string>(MAX_CACHED_SECRETS);

  constructor(
    @InjectRepository(Installation) private readonly installations: Repository<Installation>,
    private readonly hooks: GithubHooksClient,
    private readonly changes: HookChanges,
    @Inject(secretsConfig.KEY) secrets: ConfigType<typeof secretsConfig>,
  ) {
    this.cipher = new SecretCipher(secrets.key, secrets.previousKeys);
  }

  /** Connects a repository; `created` is false when it was already installed (idempotent). */
  async install(
    owner: string,
    repo: string,
    events?: string[],
  ): Promise<{ installation: Installation; created: boolean }> {
    const wanted = [...new Set(events ?? DEFAULT_EVENTS)];
    this.byHookId.clear();
    const existing = await this.changes.versioned(`${owner}/${repo}`);
    if (existing)
      return {
        installation: await this.refresh(existing, events ? wanted : existing.installation.events),
        created: false,
      };

    const repository = await this.hooks.getRepository(owner, repo);
    const secret = generateWebhookSecret();
    const hook = await this.createOrJoin(repository, null, secret, wanted);
    if (hook instanceof Installation) return { installation: hook, created: false };
    const { hookId } = hook;
    const row = this.installations.create({
      owner: repository.owner,
      name: repository.name,
      fullName: repository.fullName,
      repositoryId: repository.id,
      hookId,
      events: wanted,
      active: true,
      secretEncrypted: this.cipher.encrypt(secret),
    });
    try {
      return { installation: await this.installations.save(row), created: true };
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      // A concurrent install of the same repository won: drop our hook and answer with theirs. A
      // hook both took over is theirs: it gets their secret back.
      const winner = await this.findActive(repository.fullName, true);
      if (!hook.adopted) await this.hooks.deleteHook(repository.owner, repository.name, hookId);
      else if (winner?.hookId === hookId)
        await this.hooks.updateHook(
          repository.owner,
          repository.name,
          hookId,
          this.cipher.decrypt(winner.secretEncrypted),
          winner.events,
        );
      if (!winner) throw new ConflictException('The repository is being installed concurrently; try again');
      return { installation: winner, created: false };
    }
  }

  /**
   * Re-install: same hook when it still exists on GitHub (set back to what an install creates if
   * someone disabled or edited it there, or BACKEND_URL changed), else a new hook with a fresh secret.
   */
  private async refresh(read: Versioned, events: string[]): Promise<Installation> {
    const { installation } = read;
    const { owner, name } = installation;
    const state = installation.hookId
      ? await this.hooks.hookState(owner, name, installation.hookId, events)
      : 'missing';
    if (installation.hookId && state !== 'missing') {
      if (state === 'current' && sameSet(events, installation.events)) return installation;
      try {
        const { installation: current } = await this.changes.change(read, () => ({ events, stored: { events } }));
        return { ...current, events };
      } finally {
        this.byHookId.clear();
      }
    }
    const secret = generateWebhookSecret();
    const hook = await this.createOrJoin(installation, installation.hookId, secret, events);
    if (hook instanceof Installation) return hook;
    return this.installations.save({
      ...installation,
      hookId: hook.hookId,
      events,
      hookVerifiedAt: null,
      secretEncrypted: this.cipher.encrypt(secret),
      previousSecretEncrypted: null,
      previousSecretExpiresAt: null,
      pendingSecretEncrypted: null,
    });
  }

  /**
   * Creates the hook. GitHub keeps one hook per URL (a second is a 422): when it has one already,
   * either a concurrent install of the repository created it, and the installation that install
   * stores with it is the answer (a hook other than `knownHookId`), or no install here knows it (a
   * database restored from before it, installations cleared for a new SECRETS_KEY): it is taken over,
   * with this secret and these events (`adopted`).
   */
  private async createOrJoin(
    repository: { owner: string; name: string; fullName: string },
    knownHookId: number | null,
    secret: string,
    events: string[],
  ): Promise<{ hookId: number; adopted: boolean } | Installation> {
    const { owner, name, fullName } = repository;
    for (let attempt = 1; ; attempt++) {
      try {
        return { hookId: await this.hooks.createHook(owner, name, secret, events), adopted: false };
      } catch (error) {
        if (!(error instanceof HookExistsException) || attempt === 2) throw error;
      }
      const deadline = Date.now() + CONCURRENT_INSTALL_WAIT_MS;
      do {
        const winner = await this.findActive(fullName);
        if (winner?.hookId && winner.hookId !== knownHookId) return winner;
        await new Promise((resume) => setTimeout(resume, 100));
      } while (Date.now() < deadline);
      const orphan = await this.hooks.findHook(owner, name);
      if (orphan !== null) {
        this.logger.warn(
          `Taking over the hook ${orphan} on ${fullName}, which delivers to Nectr but no installation here knew`,
        );
        await this.hooks.updateHook(owner, name, orphan, secret, events);
        return { hookId: orphan, adopted: true };
      }
      // Gone meanwhile (an uninstall deleted it): create it once more.
    }
  }

  async uninstall(owner: string, repo: string): Promise<void> {
    const installation = await this.requireActive(owner, repo);
    if (installation.hookId) await this.hooks.deleteHook(installation.owner, installation.name, installation.hookId);
    await this.installations.update(installation.id, { active: false, uninstalledAt: new Date() });
    // After the update: a delivery looked up meanwhile must not leave the active row cached.
    this.byHookId.clear();
  }

  /**
   * New secret on GitHub and here; the previous one keeps verifying until the grace period ends
   * (HookChanges.rotate: a rotation whose answer from GitHub is lost refuses no delivery).
   */
  async rotateSecret(owner: string, repo: string): Promise<{ installation: Installation; previousValidUntil: Date }> {
    try {
      return await this.changes.rotate(`${owner}/${repo}`);
    } finally {
      this.byHookId.clear();
    }
  }

  /**
   * A delivery signed with the pending secret: GitHub has it, so it becomes the secret (HookChanges.promote).
   * A failure here refuses nothing: the pending secret keeps verifying, and the next such delivery
   * tries again.
   */
  private async promotePending(installation: Installation): Promise<void> {
    try {
      if (await this.changes.promote(installation))
        this.logger.log(`GitHub signs ${installation.fullName}'s deliveries with its pending secret: promoted`);
    } catch (error) {
      this.logger.warn(`The pending secret of ${installation.fullName} was not promoted: ${String(error)}`);
    }
    if (installation.hookId) this.byHookId.delete(installation.hookId);
  }

  list(): Promise<Installation[]> {
    return this.installations.find({ where: { active: true }, order: { fullName: 'ASC' } });
  }

  findById(id: string): Promise<Installation | null> {
    return this.installations.findOne({ where: { id } });
  }

  async findActiveByHookId(hookId: number, fresh = false): Promise<Installation | null> {
    const hit = this.byHookId.get(hookId);
    if (!fresh && hit && hit.expires > Date.now()) return hit.installation;
    const installation = await this.installations.findOne({
      where: { hookId, active: true },
      select: this.withSecrets(),
    });
    if (installation) this.byHookId.set(hookId, { installation, expires: Date.now() + HOOK_CACHE_MS });
    else this.byHookId.delete(hookId);
    return installation;
  }

  /**
   * verifySignature, checked once more against the database when a cached entry may be stale.
   * `checked`: the caller already found the cached entry's signature wrong (a SignatureCheck).
   */
  async verifyDelivery(
    installation: Installation,
    body: Buffer | readonly Buffer[],
    header: string | undefined,
    checked = false,
  ): Promise<boolean> {
    if (!checked && (await this.accepts(installation, this.checkOver(installation, body, header)))) return true;
    if (!installation.hookId || this.byHookId.get(installation.hookId)?.installation !== installation) return false;
    const current = await this.findActiveByHookId(installation.hookId, true);
    // Signed again only when the secrets changed: a wrong signature costs one hash of the body, not two.
    const rotated =
      current !== null &&
      (current.secretEncrypted !== installation.secretEncrypted ||
        current.previousSecretEncrypted !== installation.previousSecretEncrypted ||
        current.pendingSecretEncrypted !== installation.pendingSecretEncrypted);
    return rotated && this.accepts(current, this.checkOver(current, body, header));
  }

  /** Whether `check` matched; a match by the pending secret only promotes it (GitHub has it). */
  async accepts(installation: Installation, check: SignatureCheck): Promise<boolean> {
    if (!check.matches()) return false;
    if (check.byPending()) await this.promotePending(installation);
    return true;
  }

  findActiveByRepositoryId(repositoryId: number): Promise<Installation | null> {
    return this.installations.findOne({ where: { repositoryId, active: true }, select: this.withSecrets() });
  }

  findActive(fullName: string, withSecrets = true): Promise<Installation | null> {
    return this.installations
      .createQueryBuilder('i')
      .addSelect(withSecrets ? ['i.secretEncrypted', 'i.previousSecretEncrypted', 'i.pendingSecretEncrypted'] : [])
      .where('lower(i.full_name) = lower(:fullName) AND i.active', { fullName })
      .getOne();
  }

  /**
   * Checks `sha256=<hex HMAC>` against the current secret, within its grace the previous one, and the
   * pending one when a rotation left one.
   */
  verifySignature(installation: Installation, body: Buffer | readonly Buffer[], header: string | undefined): boolean {
    return this.checkOver(installation, body, header).matches();
  }

  private checkOver(
    installation: Installation,
    body: Buffer | readonly Buffer[],
    header: string | undefined,
  ): SignatureCheck {
    const check = this.signatureCheck(installation, header);
    for (const chunk of Buffer.isBuffer(body) ? [body] : body) check.update(chunk);
    return check;
  }

  /** verifySignature over a body read in chunks: update() with each as it arrives, then matches(). */
  signatureCheck(installation: Installation, header: string | undefined): SignatureCheck {
    if (!header || !SIGNATURE.test(header))
      return { update: () => undefined, matches: () => false, byPending: () => false };
    const given = Buffer.from(header.slice(7), 'hex');
    const candidates = [installation.secretEncrypted];
    if (
      installation.previousSecretEncrypted &&
      installation.previousSecretExpiresAt &&
      installation.previousSecretExpiresAt > new Date()
    ) {
      candidates.push(installation.previousSecretEncrypted);
    }
    const hmacs = candidates.flatMap((encrypted) => {
      const secret = this.secret(encrypted);
      return secret === null ? [] : [createHmac('sha256', secret)];
    });
    // Last: hashed only while a rotation left one, and a match by it alone promotes it.
    const pendingSecret = installation.pendingSecretEncrypted ? this.secret(installation.pendingSecretEncrypted) : null;
    const pending = pendingSecret === null ? null : createHmac('sha256', pendingSecret);
    let byPending = false;
    return {
      update: (chunk) => {
        for (const hmac of hmacs) hmac.update(chunk);
        pending?.update(chunk);
      },
      matches: () => {
        let valid = false;
        // All are 32-byte digests: equal length, compared in constant time; every candidate is checked.
        for (const hmac of hmacs) valid = timingSafeEqual(hmac.digest(), given) || valid;
        byPending = !valid && pending !== null && timingSafeEqual(pending.digest(), given);
        return valid || byPending;
      },
      byPending: () => byPending,
    };
  }

  /** The secret, or null when no key given can decrypt it (a delivery is then refused, never a 500). */
  private secret(encrypted: string): string | null {
    let plain = this.plaintext.get(encrypted);
    if (plain === undefined) {
      if (this.undecryptable.has(encrypted)) return null;
      try {
        plain = this.cipher.decrypt(encrypted);
      } catch {
        this.undecryptable.add(encrypted);
        this.logger.error(
          'A stored webhook secret does not decrypt with SECRETS_KEY or SECRETS_KEY_PREVIOUS: its deliveries are refused',
        );
        return null;
      }
      this.plaintext.set(encrypted, plain);
    }
    return plain;
  }

  async markHookVerified(installationId: string): Promise<void> {
    await this.installations.update({ id: installationId, hookVerifiedAt: IsNull() }, { hookVerifiedAt: new Date() });
  }

  private async requireActive(owner: string, repo: string, withSecrets = false): Promise<Installation> {
    const installation = await this.findActive(`${owner}/${repo}`, withSecrets);
    if (!installation) throw new NotFoundException(`${owner}/${repo} is not installed`);
    return installation;
  }

  /** Every column, the `select: false` secret columns included (only verification needs them). */
  private withSecrets(): FindOptionsSelect<Installation> {
    return Object.fromEntries(this.installations.metadata.columns.map((c) => [c.propertyName, true]));
  }
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
