import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Pull requests whose automatic reviews are paused (`/nectr pause`), one row per PR. */
export class PullRequestPauses1795771100000 implements MigrationInterface {
  name = 'PullRequestPauses1795771100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "pull_request_pauses" (
        "installation_id" uuid NOT NULL REFERENCES "installations" ("id") ON DELETE CASCADE,
        "pr_number" integer NOT NULL,
        "paused_by" varchar(100) NOT NULL,
        "paused_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("installation_id", "pr_number")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "pull_request_pauses"`);
  }
}
