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
}
