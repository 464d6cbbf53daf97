import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The events list filtered by type (`GET /api/v1/events?type=`, which the web UI's Events page
 * polls every 3 s) walks an index of that type, newest first. Before, a rare type was looked for
 * through the whole table. Writes to events wait while it builds (CHANGELOG.md).
 */
export class EventTypeIndex1795771300000 implements MigrationInterface {
  name = 'EventTypeIndex1795771300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "events_type_created_at_idx" ON "events" ("event_type", "created_at" DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "events_type_created_at_idx"`);
  }
}
