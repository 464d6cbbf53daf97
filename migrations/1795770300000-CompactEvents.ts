import type { MigrationInterface, QueryRunner } from 'typeorm';
import { encodePayload, payloadText } from '../src/events/payload-codec.js';

const BATCH = 500;

/**
 * Ingest cost per event, cut down (measured in the README's performance history):
 * - the payload becomes compressed JSON in a bytea kept in the row instead of ~11 TOAST chunks of
 *   uncompressed json (src/events/payload-codec.ts: brotli when this was written, LZ4 since);
 * - the outbox becomes a narrow table of its own: queuing deletes a 16-byte row instead of
 *   updating the event (a new version of the row in every one of its indexes);
 * - events_pending_pr_idx goes: events_active_pr_head_uq serves the same lookups.
 */
export class CompactEvents1795770300000 implements MigrationInterface {
  name = 'CompactEvents1795770300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "events" RENAME COLUMN "payload" TO "payload_json"`);
    await queryRunner.query(`ALTER TABLE "events" ADD COLUMN "payload" bytea`);
    for (;;) {
      const rows = (await queryRunner.query(
        `SELECT id, payload_json::text AS json FROM "events" WHERE "payload" IS NULL LIMIT ${BATCH}`,
      )) as Array<{ id: string; json: string }>;
      for (const row of rows) {
        await queryRunner.query(`UPDATE "events" SET "payload" = $2 WHERE id = $1`, [
          row.id,
          encodePayload(Buffer.from(row.json, 'utf8')),
        ]);
      }
      if (rows.length < BATCH) break;
    }
    await queryRunner.query(`ALTER TABLE "events" ALTER COLUMN "payload" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "events" DROP COLUMN "payload_json"`);
    // Already compressed: Postgres should neither compress it again nor move it out of the row.
    await queryRunner.query(`ALTER TABLE "events" ALTER COLUMN "payload" SET STORAGE MAIN`);
    await queryRunner.query(`ALTER TABLE "events" SET (toast_tuple_target = 8160)`);

    // No foreign key: its check would lock the new event row in every insert. A leftover id
    // (its event deleted) is harmless: the review job finds no pending event and does nothing.
    await queryRunner.query(`CREATE TABLE "event_outbox" ("event_id" uuid PRIMARY KEY)`);
    await queryRunner.query(
      `INSERT INTO "event_outbox" SELECT id FROM "events" WHERE "status" = 'pending' AND "queued_at" IS NULL`,
    );
    await queryRunner.query(`DROP INDEX "events_unqueued_idx"`);
    await queryRunner.query(`ALTER TABLE "events" DROP COLUMN "queued_at"`);
    await queryRunner.query(`DROP INDEX "events_pending_pr_idx"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "events_pending_pr_idx" ON "events" ("installation_id", "pr_number") WHERE "status" = 'pending'`,
    );
    await queryRunner.query(`ALTER TABLE "events" ADD COLUMN "queued_at" timestamptz`);
    await queryRunner.query(
      `UPDATE "events" e SET "queued_at" = e."updated_at" WHERE NOT EXISTS (SELECT 1 FROM "event_outbox" o WHERE o.event_id = e.id)`,
    );
    await queryRunner.query(
      `CREATE INDEX "events_unqueued_idx" ON "events" ("created_at") WHERE "status" = 'pending' AND "queued_at" IS NULL`,
    );
    await queryRunner.query(`DROP TABLE "event_outbox"`);

    await queryRunner.query(`ALTER TABLE "events" RESET (toast_tuple_target)`);
    await queryRunner.query(`ALTER TABLE "events" ADD COLUMN "payload_json" json`);
    for (;;) {
      const rows = (await queryRunner.query(
        `SELECT id, payload FROM "events" WHERE "payload_json" IS NULL LIMIT ${BATCH}`,
      )) as Array<{ id: string; payload: Buffer }>;
      for (const row of rows) {
        await queryRunner.query(`UPDATE "events" SET "payload_json" = $2::json WHERE id = $1`, [
          row.id,
          payloadText(row.payload),
        ]);
      }
      if (rows.length < BATCH) break;
    }
    await queryRunner.query(`ALTER TABLE "events" DROP COLUMN "payload"`);
    await queryRunner.query(`ALTER TABLE "events" RENAME COLUMN "payload_json" TO "payload"`);
    await queryRunner.query(`ALTER TABLE "events" ALTER COLUMN "payload" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "events" ALTER COLUMN "payload" SET STORAGE EXTERNAL`);
  }
}
