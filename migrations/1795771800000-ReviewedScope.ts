import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `reviewed_scope`: a digest of the `.nectr.yml` keys that decided what this event's review could
 * find (ignored paths, `review.max_files`, rules, custom rules). A push whose scope differs from the
 * last reviewed head's is reviewed whole, so lines pushed while the file hid them are judged once it
 * no longer does. Null for events reviewed before this column (their next push is reviewed as
 * before). Adding a nullable column rewrites nothing.
 */
export class ReviewedScope1795771800000 implements MigrationInterface {
  name = 'ReviewedScope1795771800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "events" ADD COLUMN "reviewed_scope" varchar(64)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "events" DROP COLUMN "reviewed_scope"`);
  }
}
