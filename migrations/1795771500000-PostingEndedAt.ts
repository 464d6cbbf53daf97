import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `posting_ended_at`: when the event last gave its posting lease back (posted, failed, or found
 * nothing new). A review that read the PR's comments before taking its lease reads them again only
 * when an event of the same PR may have posted in between (EventLifecycleService.startPosting).
 * Adding a nullable column rewrites nothing.
 */
export class PostingEndedAt1795771500000 implements MigrationInterface {
  name = 'PostingEndedAt1795771500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "events" ADD COLUMN "posting_ended_at" timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "events" DROP COLUMN "posting_ended_at"`);
  }
}
