import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A pull request whose automatic reviews `/nectr pause` stopped; `/nectr resume` deletes the row. */
@Entity('pull_request_pauses')
export class PullRequestPause {
  @PrimaryColumn({ name: 'installation_id', type: 'uuid' })
  installationId: string;

  @PrimaryColumn({ name: 'pr_number', type: 'integer' })
  prNumber: number;

  /** Login of who paused it. */
  @Column({ name: 'paused_by', type: 'varchar', length: 100 })
  pausedBy: string;

  @CreateDateColumn({ name: 'paused_at', type: 'timestamptz' })
  pausedAt: Date;
}
