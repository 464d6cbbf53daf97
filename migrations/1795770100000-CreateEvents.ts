import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEvents1795770100000 implements MigrationInterface {
  name = 'CreateEvents1795770100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "events" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "installation_id" uuid NOT NULL REFERENCES "installations" ("id"),
        "repo" varchar(140) NOT NULL,
        "delivery_id" varchar(100) NOT NULL,
        "github_event" varchar(64) NOT NULL,
        "action" varchar(64),
        "event_type" varchar(130) NOT NULL,
        "pr_number" integer,
        "head_sha" varchar(64),
        "pr_updated_at" timestamptz,
        "status" varchar(16) NOT NULL
          CHECK ("status" IN ('received', 'pending', 'processing', 'completed', 'failed', 'superseded')),
        "attempts" integer NOT NULL DEFAULT 0,
        "error" text,
        "review_url" text,
        "payload" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "processed_at" timestamptz
      )`);
    // Dedupe, enforced by Postgres across processes: INSERT … ON CONFLICT DO NOTHING.
    // A delivery that completed or failed may come again (GitHub's "Redeliver") and is processed anew.
    await queryRunner.query(`CREATE UNIQUE INDEX "events_active_delivery_uq" ON "events" ("delivery_id")
      WHERE "status" IN ('received', 'pending', 'processing')`);
    await queryRunner.query(`CREATE UNIQUE INDEX "events_active_pr_head_uq" ON "events" ("installation_id", "pr_number", "head_sha")
      WHERE "status" IN ('pending', 'processing')`);
    // The events API's filters (newest first), the sweep, and superseding a PR's pending events.
    await queryRunner.query(`CREATE INDEX "events_created_at_idx" ON "events" ("created_at" DESC)`);
    await queryRunner.query(`CREATE INDEX "events_status_created_at_idx" ON "events" ("status", "created_at" DESC)`);
    await queryRunner.query(`CREATE INDEX "events_repo_created_at_idx" ON "events" (lower("repo"), "created_at" DESC)`);
    await queryRunner.query(
      `CREATE INDEX "events_pending_pr_idx" ON "events" ("installation_id", "pr_number") WHERE "status" = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "events"`);
  }
}
