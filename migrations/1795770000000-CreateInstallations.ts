import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateInstallations1795770000000 implements MigrationInterface {
  name = 'CreateInstallations1795770000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "installations" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "owner" varchar(39) NOT NULL,
        "name" varchar(100) NOT NULL,
        "full_name" varchar(140) NOT NULL,
        "repository_id" bigint,
        "hook_id" bigint,
        "events" text[] NOT NULL,
        "active" boolean NOT NULL DEFAULT true,
        "hook_verified_at" timestamptz,
        "secret_encrypted" text NOT NULL,
        "previous_secret_encrypted" text,
        "previous_secret_expires_at" timestamptz,
        "installed_at" timestamptz NOT NULL DEFAULT now(),
        "uninstalled_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    // GitHub repository names are case-insensitive: one active installation per repository.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "installations_active_full_name_uq" ON "installations" (lower("full_name")) WHERE "active"`,
    );
    await queryRunner.query(
      `CREATE INDEX "installations_active_hook_id_idx" ON "installations" ("hook_id") WHERE "active"`,
    );
    await queryRunner.query(
      `CREATE INDEX "installations_active_repository_id_idx" ON "installations" ("repository_id") WHERE "active"`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "installations"`);
  }
}
