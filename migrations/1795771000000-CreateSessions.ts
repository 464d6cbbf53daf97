import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The web UI's sign-in sessions: the hash of the cookie's id, unique, and when it ends. */
export class CreateSessions1795771000000 implements MigrationInterface {
  name = 'CreateSessions1795771000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "sessions" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "id_hash" bytea NOT NULL,
        "csrf_token" varchar(64) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "sessions_id_hash_idx" ON "sessions" ("id_hash")`);
    await queryRunner.query(`CREATE INDEX "sessions_expires_at_idx" ON "sessions" ("expires_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "sessions"`);
  }
}
