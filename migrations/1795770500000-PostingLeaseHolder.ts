import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who holds an event's posting lease: a token per call to EventLifecycleService.startPosting. A
 * lease statement that timed out on the client can still commit when Postgres resumes; the same
 * call's next try then finds the lease held by its own token and takes it as granted, instead of
 * waiting for it to lapse as another run's.
 */
export class PostingLeaseHolder1795770500000 implements MigrationInterface {
  name = 'PostingLeaseHolder1795770500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "events" ADD COLUMN "posting_by" uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "events" DROP COLUMN "posting_by"`);
  }
}
