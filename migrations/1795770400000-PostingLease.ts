import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a run of a review job started posting its review. One run at a time may post: a second run
 * of the same event (Bull re-runs a job whose lock lapsed while the first still runs) waits, and
 * one that takes over an expired lease first looks on GitHub for the review the other may have
 * posted. See EventLifecycleService.startPosting.
 */
export class PostingLease1795770400000 implements MigrationInterface {
  name = 'PostingLease1795770400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "events" ADD COLUMN "posting_since" timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "events" DROP COLUMN "posting_since"`);
  }
}
