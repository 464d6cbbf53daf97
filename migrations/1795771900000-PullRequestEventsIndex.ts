import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A pull request's events by installation and PR number, whatever their status. The worker looks
 * them up on every review (a newer head, heads tied in the same second, the posting lease's checks);
 * the indexes led by those columns were partial (completed; a head pending or processing), so those
 * statements read the whole events table and a review cost more the more events were kept. The
 * last-review lookups (status 'completed') are served by this index too, so it replaces
 * `events_reviewed_pr_idx`. Writes to events wait while it builds (CHANGELOG.md).
 */
export class PullRequestEventsIndex1795771900000 implements MigrationInterface {
  name = 'PullRequestEventsIndex1795771900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "events_pr_status_idx" ON "events" ("installation_id", "pr_number", "status")`,
    );
    await queryRunner.query(`DROP INDEX "events_reviewed_pr_idx"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "events_reviewed_pr_idx" ON "events" ("installation_id", "pr_number", "pr_updated_at" DESC) WHERE "status" = 'completed'`,
    );
    await queryRunner.query(`DROP INDEX "events_pr_status_idx"`);
  }
}
