import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A browser's sign-in. The cookie holds a random id; only its HMAC-SHA256 under API_TOKEN is stored,
 * so a copy of the table cannot be replayed as cookies, and a new API_TOKEN ends every session.
 * Deleting the row signs the browser out.
 */
@Entity('sessions')
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'id_hash', type: 'bytea' })
  idHash: Buffer;

  /** Sent back by the page in X-CSRF-Token on every state-changing call (synchronizer token). */
  @Column({ name: 'csrf_token', type: 'varchar', length: 64 })
  csrfToken: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
