import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The web UI's stats read indexes only (GET /api/v1/stats/*, polled every 10–15 s): reviews ended in
 * a window get a partial index on `processed_at`, and the two `created_at` indexes carry `status`
 * (and the repository index `repo` itself: Postgres serves `lower(repo)` from an index-only scan
 * only when `repo` is in it). Before, each poll read the whole events table. The replaced indexes
 * keep their names and key columns, so ingest updates as many indexes as before. Writes to events
 * wait while the indexes build (CHANGELOG.md).
 */
export class StatsIndexes1795771200000 implements MigrationInterface {
  name = 'StatsIndexes1795771200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "events_ended_at_idx" ON "events" ("processed_at") INCLUDE ("status") WHERE "processed_at" IS NOT NULL`,
    );
    await queryRunner.query(`DROP INDEX "events_created_at_idx"`);
    await queryRunner.query(`CREATE INDEX "events_created_at_idx" ON "events" ("created_at" DESC) INCLUDE ("status")`);
    await queryRunner.query(`DROP INDEX "events_repo_created_at_idx"`);
    await queryRunner.query(
      `CREATE INDEX "events_repo_created_at_idx" ON "events" (lower("repo"), "created_at" DESC) INCLUDE ("status", "repo")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "events_repo_created_at_idx"`);
    await queryRunner.query(`CREATE INDEX "events_repo_created_at_idx" ON "events" (lower("repo"), "created_at" DESC)`);
    await queryRunner.query(`DROP INDEX "events_created_at_idx"`);
    await queryRunner.query(`CREATE INDEX "events_created_at_idx" ON "events" ("created_at" DESC)`);
    await queryRunner.query(`DROP INDEX "events_ended_at_idx"`);
  }
}
