import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** bigint columns come back from pg as strings; GitHub ids fit comfortably in a JS number. */
export const bigintToNumber = {
  to: (value?: number | null) => value,
  from: (value?: string | null) => (value === null || value === undefined ? value : Number(value)),
};

// One active installation per repository: a partial unique index on lower(full_name) (migration).
@Entity('installations')
export class Installation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 39 })
  owner: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'full_name', type: 'varchar', length: 140 })
  fullName: string;

  @Column({ name: 'repository_id', type: 'bigint', nullable: true, transformer: bigintToNumber })
  repositoryId: number | null;

  @Column({ name: 'hook_id', type: 'bigint', nullable: true, transformer: bigintToNumber })
  hookId: number | null;

  @Column({ type: 'text', array: true })
  events: string[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ name: 'hook_verified_at', type: 'timestamptz', nullable: true })
  hookVerifiedAt: Date | null;

  /** AES-256-GCM under SECRETS_KEY (see secret-cipher.ts); never the plaintext. */
  @Column({ name: 'secret_encrypted', type: 'text', select: false })
  secretEncrypted: string;

  @Column({ name: 'previous_secret_encrypted', type: 'text', nullable: true, select: false })
  previousSecretEncrypted: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null;

  /**
   * A rotation's new secret while GitHub may or may not have it (stored before GitHub is sent it):
   * deliveries signed with it verify, and the first one promotes it to the secret.
   */
  @Column({ name: 'pending_secret_encrypted', type: 'text', nullable: true, select: false })
  pendingSecretEncrypted: string | null;

  @Column({ name: 'installed_at', type: 'timestamptz', default: () => 'now()' })
  installedAt: Date;

  @Column({ name: 'uninstalled_at', type: 'timestamptz', nullable: true })
  uninstalledAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
