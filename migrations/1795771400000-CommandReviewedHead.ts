import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `reviewed_head_sha`: the head a `/nectr review` reviewed. A command's event has no head of its own
 * (`head_sha` stays null, out of the one-active-event-per-head index); its review's head is recorded
 * here, so a failed command review can set the `error` status where it set `pending`, and the next
 * review of the PR can start from it. Adding a nullable column rewrites nothing.
 */
export class CommandReviewedHead1795771400000 implements MigrationInterface {
  name = 'CommandReviewedHead1795771400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "events" ADD COLUMN "reviewed_head_sha" varchar(64)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "events" DROP COLUMN "reviewed_head_sha"`);
  }
}
