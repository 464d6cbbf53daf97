import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The findings whose review threads Nectr resolved, per pull request: a review reads the PR's
 * threads only for a finding newly fixed or one of these back again (its fix reverted).
 */
export class ResolvedFindings1795771600000 implements MigrationInterface {
  name = 'ResolvedFindings1795771600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "resolved_findings" (
        "installation_id" uuid NOT NULL REFERENCES "installations" ("id") ON DELETE CASCADE,
        "pr_number" integer NOT NULL,
        "fingerprint" varchar(24) NOT NULL,
        "resolved_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("installation_id", "pr_number", "fingerprint")
      )`);
    // For the sweep past EVENT_RETENTION_DAYS.
    await queryRunner.query(`CREATE INDEX "resolved_findings_resolved_at" ON "resolved_findings" ("resolved_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "resolved_findings"`);
  }
}
