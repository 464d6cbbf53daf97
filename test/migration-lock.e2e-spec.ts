// Instances booting at once apply each migration once: an instance waits while another holds the
// migration lock, then applies what is still pending.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../ormconfig.js';
import { MIGRATION_LOCK_KEY, runMigrationsLocked } from '../src/database/run-migrations.js';
import { freshStore, waitFor } from './support/test-app.js';

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
});
