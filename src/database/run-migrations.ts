import { DataSource } from 'typeorm';
import { migrationOptions } from '../../ormconfig.js';

// Any constant works; it only has to be the same in every Nectr process sharing the database.
export const MIGRATION_LOCK_KEY = 0x6e656374; // "nect"

/**
 * Applies pending migrations while holding a session-level advisory lock, so several instances
 * booting at once apply each migration exactly once (the others wait, then find nothing to do).
 * They run on connections of their own, without the app's timeouts (migrationOptions).
 */
export async function runMigrationsLocked(app: DataSource): Promise<void> {
  const dataSource = await new DataSource(migrationOptions(app.options)).initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
    await dataSource.destroy();
  }
}
