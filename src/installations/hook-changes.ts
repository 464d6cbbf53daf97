import {
  BadGatewayException,
  ConflictException,
  HttpException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { secretsConfig } from '../config/index.js';
import { GithubHooksClient, refusedByGithub } from './github-hooks.client.js';
import { Installation } from './installation.entity.js';
import { generateWebhookSecret, SecretCipher } from './secret-cipher.js';

/**
 * Tries of a change to an existing hook (a rotation, a re-install) when another change of the row
 * landed between the read and the write: each one sends the hook again from the row as it is now.
 */
const HOOK_CHANGE_TRIES = 5;

/** A row and its version (Postgres' `xmin`, new on every UPDATE, by any build): written only if unchanged. */
export interface Versioned {
  installation: Installation;
  version: string;
}

/**
 * Changes to an existing hook and to its row's secrets (a rotation, a re-install, a pending secret
 * promoted), each written only if the row still holds what was read. Callers clear their caches of
 * installations afterwards.
 */
@Injectable()
export class HookChanges {
  private readonly cipher: SecretCipher;

  constructor(
    @InjectRepository(Installation) private readonly installations: Repository<Installation>,
    private readonly hooks: GithubHooksClient,
    @Inject(secretsConfig.KEY) private readonly secrets: ConfigType<typeof secretsConfig>,
  ) {
    this.cipher = new SecretCipher(secrets.key, secrets.previousKeys);
  }

  /**
   * A new secret on GitHub and in the row; the previous one keeps verifying until the grace period
   * ends. The new secret is stored as pending before GitHub is sent it, so a rotation whose answer is
   * lost (GitHub may have applied it) refuses no delivery: deliveries signed with it verify, the
   * first one promotes it (promote), and rotating again sends the same pending secret.
   */
  async rotate(fullName: string): Promise<{ installation: Installation; previousValidUntil: Date }> {
    const { read, created } = await this.withPending(fullName);
    const previousValidUntil = this.graceEnd();
    // GitHub refused this call's first PATCH: no one sent the pending secret it created, so it goes.
    const refused = created ? () => this.dropPending(read.installation.id, created) : () => Promise.resolve();
    try {
      const { installation } = await this.change(
        read,
        (current) => ({ events: current.events, stored: {} }),
        previousValidUntil,
        refused,
      );
      return { installation, previousValidUntil };
    } catch (error) {
      if (refusedByGithub(error) || !(error instanceof HttpException) || error.getStatus() < 500) throw error;
      throw new BadGatewayException(
        `${error.message}. The new secret may have reached GitHub: Nectr accepts deliveries signed with it as ` +
          'well as with the current one, and rotating again is safe',
      );
    }
  }

  /**
   * The row with a pending secret this process opens: the one stored (GitHub may have it already),
   * else a new one stored first, if the row is still the version read. `created`: the new one.
   */
  private async withPending(fullName: string): Promise<{ read: Versioned; created: string | null }> {
    for (let attempt = 1; ; attempt++) {
      const read = await this.versioned(fullName);
      if (!read) throw new NotFoundException(`${fullName} is not installed`);
      const { installation, version } = read;
      if (!installation.hookId)
        throw new NotFoundException(`${installation.fullName} has no hook on GitHub: install it again`);
      const stored = installation.pendingSecretEncrypted;
      if (stored && this.cipher.opens(stored)) return { read, created: null };
      const pending = this.cipher.encrypt(generateWebhookSecret());
      const result = await this.installations
        .createQueryBuilder()
        .update()
        .set({ pendingSecretEncrypted: pending })
        .where('id = :id AND xmin::text = :version', { id: installation.id, version })
        .execute();
      if (result.affected === 1) {
        const again = await this.versioned(fullName);
        if (again?.installation.pendingSecretEncrypted === pending) return { read: again, created: pending };
      }
      if (attempt === HOOK_CHANGE_TRIES)
        throw new ConflictException(`${installation.fullName} is being changed concurrently; try again`);
    }
  }

  private async dropPending(id: string, pending: string): Promise<void> {
    await this.installations
      .createQueryBuilder()
      .update()
      .set({ pendingSecretEncrypted: null })
      .where('id = :id AND pending_secret_encrypted = :pending', { id, pending })
      .execute();
  }

  /**
   * Sends the hook the row's events from `change` and its secret (the pending one when there is one,
   * which is then promoted), then stores that and `stored` only if the row is still the version read:
   * a change stored meanwhile (a rotation, a re-install, a promotion, in any process) may have
   * reached GitHub before this one, so the row is read again and sent again. The last change stored
   * is then the last GitHub applied, and the hook keeps the secret and events stored. `refused` runs
   * when GitHub refuses the first PATCH (nothing this call sent was applied).
   */
  async change(
    read: Versioned,
    change: (current: Installation) => { events: string[]; stored: Partial<Installation> },
    previousValidUntil = this.graceEnd(),
    refused: () => Promise<void> = () => Promise.resolve(),
  ): Promise<Versioned> {
    for (let attempt = 1; ; attempt++) {
      const { installation, version } = read;
      if (!installation.hookId)
        throw new NotFoundException(`${installation.fullName} has no hook on GitHub: install it again`);
      const { events, stored } = change(installation);
      const pending =
        installation.pendingSecretEncrypted && this.cipher.opens(installation.pendingSecretEncrypted)
          ? this.cipher.decrypt(installation.pendingSecretEncrypted)
          : null;
      const secret = pending ?? this.cipher.decrypt(installation.secretEncrypted);
      try {
        await this.hooks.updateHook(installation.owner, installation.name, installation.hookId, secret, events);
      } catch (error) {
        if (attempt === 1 && refusedByGithub(error)) await refused();
        if (error instanceof NotFoundException)
          throw new NotFoundException(
            `The hook of ${installation.fullName} no longer exists on GitHub: install it again`,
          );
        throw error;
      }
      const result = await this.installations
        .createQueryBuilder()
        .update()
        .set({
          ...stored,
          ...(pending === null ? { pendingSecretEncrypted: null } : this.promotion(installation, previousValidUntil)),
        })
        .where('id = :id AND xmin::text = :version', { id: installation.id, version })
        .execute();
      if (result.affected === 1) return read;
      const again = await this.versioned(installation.fullName);
      if (!again) throw new NotFoundException(`${installation.fullName} was uninstalled meanwhile`);
      if (attempt === HOOK_CHANGE_TRIES)
        throw new ConflictException(`${installation.fullName} is being changed concurrently; try again`);
      read = again;
    }
  }

  /**
   * The row's pending secret made its secret, and its secret the previous one until `previousValidUntil`.
   * Both under SECRETS_KEY when a key opens them: one left under a previous key would outlast
   * npm run secrets:rekey (which may have run while GitHub was answering).
   */
  private promotion(current: Installation, previousValidUntil: Date): Partial<Installation> {
    const pending = current.pendingSecretEncrypted!;
    return {
      secretEncrypted: this.cipher.underCurrentKey(pending) ?? pending,
      previousSecretEncrypted: this.cipher.underCurrentKey(current.secretEncrypted) ?? current.secretEncrypted,
      previousSecretExpiresAt: previousValidUntil,
      pendingSecretEncrypted: null,
    };
  }

  /**
   * A delivery signed with the pending secret: GitHub has it, so it becomes the secret, once (only
   * while the row still holds the secrets read, whichever process gets there first). True when
   * this call promoted it.
   */
  async promote(installation: Installation): Promise<boolean> {
    const result = await this.installations
      .createQueryBuilder()
      .update()
      .set(this.promotion(installation, this.graceEnd()))
      .where('id = :id AND secret_encrypted = :secret AND pending_secret_encrypted = :pending', {
        id: installation.id,
        secret: installation.secretEncrypted,
        pending: installation.pendingSecretEncrypted,
      })
      .execute();
    return result.affected === 1;
  }

  /** The active installation, its secrets and its version. */
  async versioned(fullName: string): Promise<Versioned | null> {
    const { entities, raw } = await this.installations
      .createQueryBuilder('i')
      .addSelect(['i.secretEncrypted', 'i.previousSecretEncrypted', 'i.pendingSecretEncrypted'])
      .addSelect('i.xmin::text', 'version')
      .where('lower(i.full_name) = lower(:fullName) AND i.active', { fullName })
      .getRawAndEntities<{ version: string }>();
    return entities[0] ? { installation: entities[0], version: raw[0].version } : null;
  }

  private graceEnd(): Date {
    return new Date(Date.now() + this.secrets.rotationGraceSeconds * 1000);
  }
}
