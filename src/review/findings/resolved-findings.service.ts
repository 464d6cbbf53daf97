import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ResolvedFinding } from './resolved-finding.entity.js';

/** A pull request, as `resolved_findings` keys it. */
export interface PullRequestKey {
  installationId: string;
  prNumber: number;
}

/** The findings of a pull request whose review threads Nectr resolved. */
@Injectable()
export class ResolvedFindingsService {
  constructor(@InjectRepository(ResolvedFinding) private readonly rows: Repository<ResolvedFinding>) {}

  async of(pull: PullRequestKey): Promise<Set<string>> {
    const rows = await this.rows.find({ where: { ...pull }, select: { fingerprint: true } });
    return new Set(rows.map((row) => row.fingerprint));
  }

  async add(pull: PullRequestKey, fingerprints: string[]): Promise<void> {
    if (fingerprints.length === 0) return;
    await this.rows
      .createQueryBuilder()
      .insert()
      .values(fingerprints.map((fingerprint) => ({ ...pull, fingerprint })))
      .orIgnore()
      .execute();
  }

  async remove(pull: PullRequestKey, fingerprints: string[]): Promise<void> {
    if (fingerprints.length === 0) return;
    await this.rows.delete({ ...pull, fingerprint: In(fingerprints) });
  }

  /** Deletes up to `limit` rows older than `days`; returns how many it deleted. */
  async deleteExpired(days: number, limit: number): Promise<number> {
    const [, deleted] = await this.rows.query<[unknown[], number]>(
      `DELETE FROM resolved_findings WHERE (installation_id, pr_number, fingerprint) IN (
         SELECT installation_id, pr_number, fingerprint FROM resolved_findings
         WHERE resolved_at < now() - make_interval(days => $1)
         ORDER BY resolved_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [days, limit],
    );
    return deleted;
  }
}
