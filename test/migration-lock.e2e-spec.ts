// Instances booting at once apply each migration once: an instance waits while another holds the
// migration lock, then applies what is still pending.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { migrations } from '../migrations/index.js';
import cliDataSource, { dataSourceOptions } from '../ormconfig.js';
import { MIGRATION_LOCK_KEY, runMigrationsLocked } from '../src/database/run-migrations.js';
import { freshStore, waitFor } from './support/test-app.js';

// Longer than the 8 s a query of the running app may take (ormconfig's query_timeout).
class SlowMigration9999999999999 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT pg_sleep(9)');
  }
  async down(): Promise<void> {}
}

describe('migrations at boot', () => {
  let db: DataSource;
  let other: DataSource;

  beforeAll(async () => {
    const { databaseUrl } = await freshStore();
    db = await new DataSource(dataSourceOptions(databaseUrl, 2)).initialize();
    other = await new DataSource(dataSourceOptions(databaseUrl, 2)).initialize();
  });
  afterAll(async () => {
    await db?.destroy();
    await other?.destroy();
  });

  it('waits while another instance holds the migration lock, then applies what is pending', async () => {
    const otherInstance = other.createQueryRunner();
    await otherInstance.connect();
    try {
      await otherInstance.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      let done = false;
      const migrating = runMigrationsLocked(db).then(() => (done = true));
      const waiting = async () =>
        (
          await other.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
          )
        )[0].n;
      await waitFor(async () => (await waiting()) === 1, 10_000, 50);
      expect(done).toBe(false);
      expect(await db.showMigrations()).toBe(true);

      await otherInstance.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      await migrating;
      expect(await db.showMigrations()).toBe(false);
    } finally {
      await otherInstance.release();
    }
  });

  it('applies a migration slower than a query may be, while another instance waits for it', async () => {
    const { databaseUrl } = await freshStore();
    const options = { ...dataSourceOptions(databaseUrl, 2), migrations: [...migrations, SlowMigration9999999999999] };
    const first = await new DataSource(options).initialize();
    const second = await new DataSource(options).initialize();
    try {
      await Promise.all([runMigrationsLocked(first), runMigrationsLocked(second)]);
      const applied: Array<{ name: string }> = await first.query('SELECT name FROM migrations WHERE name = $1', [
        'SlowMigration9999999999999',
      ]);
      expect(applied).toHaveLength(1);
      expect(await second.showMigrations()).toBe(false);
    } finally {
      await first.destroy();
      await second.destroy();
    }
  }, 60_000);

  it('gives the TypeORM CLI (migration:run, migration:revert) no query timeout either', () => {
    const extra = (cliDataSource.options as { extra: { query_timeout: number } }).extra;
    expect(extra.query_timeout).toBe(0);
    expect((dataSourceOptions('postgres://x') as { extra: { query_timeout: number } }).extra.query_timeout).toBe(8000);
  });
});
