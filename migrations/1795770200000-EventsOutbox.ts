import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The events table becomes the queue's outbox: ingest only inserts (`queued_at` NULL) and a relay
 * moves pending events onto the queue in batches. The payload is kept as `json` (stored as sent,
 * validated but not decomposed): Nectr never queries inside it, and jsonb cost every insert.
 */
export class EventsOutbox1795770200000 implements MigrationInterface {
  name = 'EventsOutbox1795770200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "events" ADD COLUMN "queued_at" timestamptz`);
    await queryRunner.query(`UPDATE "events" SET "queued_at" = "updated_at" WHERE "status" <> 'pending'`);
    await queryRunner.query(`ALTER TABLE "events" ALTER COLUMN "payload" TYPE json USING "payload"::json`);
    await queryRunner.query(`ALTER TABLE "events" ALTER COLUMN "payload" SET STORAGE EXTERNAL`);
    await queryRunner.query(
      `CREATE INDEX "events_unqueued_idx" ON "events" ("created_at") WHERE "status" = 'pending' AND "queued_at" IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "events_unqueued_idx"`);
    await queryRunner.query(`ALTER TABLE "events" ALTER COLUMN "payload" TYPE jsonb USING "payload"::jsonb`);
    await queryRunner.query(`ALTER TABLE "events" DROP COLUMN "queued_at"`);
  }
}
