import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A finding whose review thread Nectr resolved; deleted when the finding is back (its fix reverted). */
@Entity('resolved_findings')
export class ResolvedFinding {
  @PrimaryColumn({ name: 'installation_id', type: 'uuid' })
  installationId: string;

  @PrimaryColumn({ name: 'pr_number', type: 'integer' })
  prNumber: number;

  @PrimaryColumn({ type: 'varchar', length: 24 })
  fingerprint: string;

  @CreateDateColumn({ name: 'resolved_at', type: 'timestamptz' })
  resolvedAt: Date;
}
