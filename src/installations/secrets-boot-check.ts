import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository } from 'typeorm';
import { ConfigError, secretsConfig } from '../config/index.js';
import { Installation } from './installation.entity.js';
import { SecretCipher } from './secret-cipher.js';

/** Rows read at once, in id order (keyset: each batch starts after the last id read). */
const BATCH = 1000;
/** Repositories named in the message, at most. */
const NAMED = 2;

type Row = Pick<
  Installation,
  | 'id'
  | 'fullName'
  | 'secretEncrypted'
  | 'previousSecretEncrypted'
  | 'previousSecretExpiresAt'
  | 'pendingSecretEncrypted'
>;

/**
 * Stops the boot when SECRETS_KEY and SECRETS_KEY_PREVIOUS do not open every active installation's
 * webhook secret: otherwise those repositories' deliveries would be refused (403), silently. A
 * previous secret still in its grace that no key opens is a warning: it verifies only deliveries
 * signed before a rotation, and rotating a secret no key opens keeps it as the previous one. So is a
 * pending secret (a rotation GitHub may not have applied) no key opens: the current secret still
 * verifies, and the next rotation replaces it.
 */
@Injectable()
export class SecretsBootCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger(SecretsBootCheck.name);
  private readonly cipher: SecretCipher;

  constructor(
    @InjectRepository(Installation) private readonly installations: Repository<Installation>,
    @Inject(secretsConfig.KEY) private readonly secrets: ConfigType<typeof secretsConfig>,
  ) {
    this.cipher = new SecretCipher(secrets.key, secrets.previousKeys);
  }

  async onApplicationBootstrap(): Promise<void> {
    const { opened, affected, named, previousUnread, pendingUnread } = await this.scan();
    if (affected === 0) {
      if (previousUnread > 0)
        this.logger.warn(
          `No key given opens the previous webhook secret of ${previousUnread} installation${previousUnread === 1 ? '' : 's'}, ` +
            'still within its rotation grace: deliveries signed with it are refused',
        );
      if (pendingUnread > 0)
        this.logger.warn(
          `No key given opens the pending webhook secret of ${pendingUnread} installation${pendingUnread === 1 ? '' : 's'} ` +
            '(a rotation GitHub may have applied): deliveries signed with it are refused; rotate the secret again',
        );
      return;
    }
    const previous = this.secrets.previousKeys.length > 0;
    if (opened === 0)
      throw new ConfigError(
        previous
          ? 'Invalid configuration: neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS decrypts the stored webhook secrets; ' +
              'give the key they were encrypted with in one of them'
          : 'Invalid configuration: SECRETS_KEY does not decrypt the stored webhook secrets; set the key they were ' +
              'encrypted with (to move to a new key, set it as SECRETS_KEY and the old one as SECRETS_KEY_PREVIOUS, ' +
              'then run npm run secrets:rekey: docs/reliability.md, "Rotating SECRETS_KEY")',
      );
    const names =
      affected > named.length ? `${named.join(', ')} and ${affected - named.length} more` : named.join(', ');
    throw new ConfigError(
      `Invalid configuration: ${previous ? 'neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS decrypts' : 'SECRETS_KEY does not decrypt'} ` +
        `the stored webhook secrets of ${affected} active installation${affected === 1 ? '' : 's'} (${names}), whose ` +
        'deliveries would be refused; put the key they were encrypted with back in SECRETS_KEY_PREVIOUS, then run ' +
        'npm run secrets:rekey (docs/reliability.md, "Rotating SECRETS_KEY")',
    );
  }

  /**
   * Values opened, installations whose secret no key opens and the first of those by name, and
   * installations whose previous secret, still in its grace, or pending secret no key opens.
   */
  private async scan(): Promise<{
    opened: number;
    affected: number;
    named: string[];
    previousUnread: number;
    pendingUnread: number;
  }> {
    const now = new Date();
    const named: string[] = [];
    let opened = 0;
    let affected = 0;
    let previousUnread = 0;
    let pendingUnread = 0;
    let after: string | undefined;
    for (;;) {
      const rows = await this.batch(after);
      for (const row of rows) {
        if (row.previousSecretEncrypted && row.previousSecretExpiresAt && row.previousSecretExpiresAt > now) {
          if (this.cipher.opens(row.previousSecretEncrypted)) opened++;
          else previousUnread++;
        }
        if (row.pendingSecretEncrypted) {
          if (this.cipher.opens(row.pendingSecretEncrypted)) opened++;
          else pendingUnread++;
        }
        if (this.cipher.opens(row.secretEncrypted)) {
          opened++;
          continue;
        }
        affected++;
        if (named.length < NAMED) named.push(row.fullName);
      }
      if (rows.length < BATCH) return { opened, affected, named, previousUnread, pendingUnread };
      after = rows[rows.length - 1].id;
    }
  }

  private batch(after: string | undefined): Promise<Row[]> {
    return this.installations.find({
      select: {
        id: true,
        fullName: true,
        secretEncrypted: true,
        previousSecretEncrypted: true,
        previousSecretExpiresAt: true,
        pendingSecretEncrypted: true,
      },
      where: after === undefined ? { active: true } : { active: true, id: MoreThan(after) },
      order: { id: 'ASC' },
      take: BATCH,
    });
  }
}
