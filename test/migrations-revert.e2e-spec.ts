// Rolling back: after `npm run migration:revert` once per migration newer than an older build,
// that build must find the schema it made itself. Every migration's `down` is compared with a
// database migrated only up to the migration before it: tables, columns (type, null, default,
// storage), indexes, constraints and table options. Column order is not compared (a column a
// `down` adds back comes last; Nectr names every column it reads).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../ormconfig.js';
import { migrations } from '../migrations/index.js';
import { freshStore } from './support/test-app.js';

const SCHEMA = {
  tables: `SELECT c.relname AS name, c.relkind AS kind, coalesce(array_to_string(c.reloptions, ','), '') AS options
    FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')`,
  columns: `SELECT c.relname AS "table", a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
      a.attnotnull AS not_null, coalesce(pg_get_expr(d.adbin, d.adrelid), '') AS "default", a.attstorage AS storage
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`,
  indexes: `SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = 'public'`,
  constraints: `SELECT conrelid::regclass::text AS "table", conname AS name, pg_get_constraintdef(oid) AS definition
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace`,
};

type Schema = Record<keyof typeof SCHEMA, string[]>;

async function schemaOf(db: DataSource): Promise<Schema> {
  const schema = {} as Schema;
  for (const [part, sql] of Object.entries(SCHEMA) as Array<[keyof typeof SCHEMA, string]>) {
    const rows: Array<Record<string, unknown>> = await db.query(sql);
    schema[part] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return schema;
}

async function open(migrationCount: number): Promise<DataSource> {
  const { databaseUrl } = await freshStore();
  return new DataSource({ ...dataSourceOptions(databaseUrl, 1), migrations: migrations.slice(0, migrationCount) });
}

describe('migrations reverted one by one', () => {
  // What each build made: the schema after its first `count` migrations, for every count.
  const built: Schema[] = [];
  let db: DataSource;

  beforeAll(async () => {
    const fresh = await open(0);
    await fresh.initialize();
    const url = (fresh.options as { url: string }).url;
    await fresh.destroy();
    for (let count = 0; count <= migrations.length; count++) {
      const step = new DataSource({ ...dataSourceOptions(url, 1), migrations: migrations.slice(0, count) });
      await step.initialize();
      await step.runMigrations({ transaction: 'each' });
      built.push(await schemaOf(step));
      await step.destroy();
    }
    db = await open(migrations.length);
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
  });

  afterAll(() => db?.destroy());

  it('leave, after each revert, the schema the build before that migration made', async () => {
    expect(await schemaOf(db)).toEqual(built[migrations.length]);
    for (let count = migrations.length - 1; count >= 0; count--) {
      await db.undoLastMigration({ transaction: 'each' });
      const reverted = await schemaOf(db);
      const label = `reverted to ${migrations[count - 1]?.name ?? 'no migration'}`;
      expect({ label, schema: reverted }).toEqual({ label, schema: built[count] });
    }
  });
});
