import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository } from 'typeorm';
import { secretsConfig } from '../config/index.js';
import { Installation } from './installation.entity.js';
import { SecretCipher } from './secret-cipher.js';

const BATCH = 500;
/** Passes over the table at most: another pass runs only for rows a concurrent write changed under it. */
const MAX_PASSES = 5;

export interface RekeyReport {
  /** Stored values (current, previous and pending secrets of every installation, active or not). */
  values: number;
  /** Values re-encrypted under SECRETS_KEY by this run. */
  reencrypted: number;
  /** Values only a previous key opens. */
  needPreviousKey: number;
  /** Values no key given opens (a current secret's deliveries are refused already), and which they are. */
  unreadable: Array<{ fullName: string; active: boolean; value: StoredValue }>;
}

type StoredValue = 'secret' | 'previous' | 'pending';

type Row = Pick<
  Installation,
  'id' | 'fullName' | 'active' | 'secretEncrypted' | 'previousSecretEncrypted' | 'pendingSecretEncrypted'
>;

const COLUMNS = {
  secret: 'secretEncrypted',
  previous: 'previousSecretEncrypted',
  pending: 'pendingSecretEncrypted',
} as const satisfies Record<StoredValue, keyof Row>;

/**
 * Moves every stored webhook secret under SECRETS_KEY, so that SECRETS_KEY_PREVIOUS can be dropped.
 * A row is written only if all its values are still the ones read (a rotation or an install meanwhile
 * keeps its own), so any number of runs, and the running processes, can go at once; a second run
 * finds nothing to do.
 */
@Injectable()
export class SecretsRekeyService {
  private readonly cipher: SecretCipher;

  constructor(
    @InjectRepository(Installation) private readonly installations: Repository<Installation>,
    @Inject(secretsConfig.KEY) secrets: ConfigType<typeof secretsConfig>,
  ) {
    this.cipher = new SecretCipher(secrets.key, secrets.previousKeys);
  }

  /**
   * Re-encrypts what only a previous key opens, then reads the table once more for the report (so
   * it also counts what a process still running on an old key wrote meanwhile).
   */
  async rekey(): Promise<RekeyReport> {
    let reencrypted = 0;
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      const { moved, changedMeanwhile } = await this.pass(true);
      reencrypted += moved;
      if (changedMeanwhile === 0) break;
    }
    return { ...(await this.check()), reencrypted };
  }

  /**
   * Uninstalls every installed repository whose current secret no key given opens (its key is lost
   * for good: its deliveries are refused, and no process boots while it is stored), so that it can
   * be installed again with a new secret. A row is changed only if it still holds the value read.
   * Returns the repositories uninstalled.
   */
  async uninstallUnreadable(): Promise<string[]> {
    const uninstalled: string[] = [];
    for await (const row of this.rows()) {
      if (!row.active || this.cipher.opens(row.secretEncrypted)) continue;
      const result = await this.installations
        .createQueryBuilder()
        .update()
        .set({ active: false, uninstalledAt: () => 'now()' })
        .where('id = :id AND active AND secret_encrypted = :secret', { id: row.id, secret: row.secretEncrypted })
        .execute();
      if (result.affected === 1) uninstalled.push(row.fullName);
    }
    return uninstalled;
  }

  /** Counts, writing nothing. */
  async check(): Promise<RekeyReport> {
    return (await this.pass(false)).report;
  }

  private async pass(write: boolean): Promise<{ report: RekeyReport; moved: number; changedMeanwhile: number }> {
    const report: RekeyReport = { values: 0, reencrypted: 0, needPreviousKey: 0, unreadable: [] };
    let moved = 0;
    let changedMeanwhile = 0;
    for await (const row of this.rows()) {
      // Each value as it must be kept (itself when no key opens it, reported), and how many move.
      const kept = { ...row };
      let movable = 0;
      for (const [value, column] of Object.entries(COLUMNS) as Array<[StoredValue, (typeof COLUMNS)[StoredValue]]>) {
        const stored = row[column];
        if (stored === null) continue;
        report.values++;
        const under = this.cipher.underCurrentKey(stored);
        if (under === undefined) report.unreadable.push({ fullName: row.fullName, active: row.active, value });
        else if (under !== stored) {
          kept[column] = under;
          movable++;
        }
      }
      if (movable === 0) continue;
      if (!write) report.needPreviousKey += movable;
      else if (await this.replace(row, kept)) moved += movable;
      else changedMeanwhile++;
    }
    return { report, moved, changedMeanwhile };
  }

  /** Every installation, active or not, read BATCH rows at a time in id order (each after the last id read). */
  private async *rows(): AsyncGenerator<Row> {
    for (let after = ''; ;) {
      const rows = await this.installations.find({
        select: {
          id: true,
          fullName: true,
          active: true,
          secretEncrypted: true,
          previousSecretEncrypted: true,
          pendingSecretEncrypted: true,
        },
        where: after ? { id: MoreThan(after) } : {},
        order: { id: 'ASC' },
        take: BATCH,
      });
      if (rows.length === 0) return;
      yield* rows;
      after = rows[rows.length - 1].id;
    }
  }

  /** Writes the values kept if the row still holds the ones read; false when it changed meanwhile. */
  private async replace(read: Row, kept: Row): Promise<boolean> {
    const result = await this.installations
      .createQueryBuilder()
      .update()
      .set({
        secretEncrypted: kept.secretEncrypted,
        previousSecretEncrypted: kept.previousSecretEncrypted,
        pendingSecretEncrypted: kept.pendingSecretEncrypted,
      })
      .where(
        'id = :id AND secret_encrypted = :secret AND previous_secret_encrypted IS NOT DISTINCT FROM :previous ' +
          'AND pending_secret_encrypted IS NOT DISTINCT FROM :pending',
        {
          id: read.id,
          secret: read.secretEncrypted,
          previous: read.previousSecretEncrypted,
          pending: read.pendingSecretEncrypted,
        },
      )
      .execute();
    return result.affected === 1;
  }
}
