import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `pending_secret_encrypted`: a rotation's new webhook secret, stored before GitHub is sent it and
 * promoted once GitHub confirms it (its answer, or a delivery signed with it), so that a rotation
 * whose answer is lost refuses no delivery. Adding a nullable column rewrites nothing.
 */
export class PendingSecret1795771700000 implements MigrationInterface {
  name = 'PendingSecret1795771700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "installations" ADD COLUMN "pending_secret_encrypted" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "installations" DROP COLUMN "pending_secret_encrypted"`);
  }
}
