import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `note`: why an event ended as it did when there is no review to show (e.g. `No new findings since
 * abc1234`). The partial index finds the last head Nectr reviewed on a pull request (the base of an
 * incremental review): completed events of the PR, newest `pull_request.updated_at` first.
 */
export class EventNote1795770600000 implements MigrationInterface {
  name = 'EventNote1795770600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "events" ADD COLUMN "note" text`);
    await queryRunner.query(
      `CREATE INDEX "events_reviewed_pr_idx" ON "events" ("installation_id", "pr_number", "pr_updated_at" DESC) WHERE "status" = 'completed'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "events_reviewed_pr_idx"`);
    await queryRunner.query(`ALTER TABLE "events" DROP COLUMN "note"`);
  }
}
