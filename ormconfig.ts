import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { ClientBase } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { migrations } from './migrations/index.js';
import { entities } from './src/database/entities.js';

/**
 * The one DataSource options object: Nest's TypeOrmModule and the TypeORM CLI both use it.
 * Schema changes go through migrations only (synchronize off); the app applies them at boot
 * under an advisory lock (src/database/run-migrations.ts).
 */
export function dataSourceOptions(url = process.env.DATABASE_URL, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    // TypeORM would run CREATE EXTENSION "uuid-ossp" at every connect because the entities have
    // uuid keys. The migrations use Postgres's built-in gen_random_uuid() (13+), so Nectr needs no
    // extension and leaves the database's alone. (Two instances booting together on a fresh
    // database raced on it, leaving an error in Postgres's log; a role without the right would too.)
    installExtensions: false,
    // TypeORM's own logger prints a failed query with its parameters, which can hold an encrypted
    // secret (an install racing another). Errors reach the exception filter, which logs no values.
    logging: false,
    extra: {
      max: poolSize,
      connectionTimeoutMillis: 5000,
      // A query that cannot reach Postgres must fail fast enough to answer GitHub within 10 s.
      query_timeout: 8000,
      onConnect: startSession,
    },
  };
}

const logger = new Logger('Database');

/**
 * Nectr's transactions last milliseconds. A lock held longer belongs to a process frozen inside one
 * (a debugger, a heap snapshot, SIGSTOP): waiting for it fails after 3 s, so a delivery that needs
 * the row is refused with a 503 to be sent again while its batch's others are stored
 * (EventInsertBatcher), and Postgres ends the frozen session after 30 s. Set with SET rather than
 * as startup parameters, which PgBouncer refuses.
 */
const SESSION_SETTINGS = `SET lock_timeout = '3s'; SET idle_in_transaction_session_timeout = '30s'`;

async function startSession(client: ClientBase): Promise<void> {
  listenForErrors(client);
  await client.query(SESSION_SETTINGS);
}

/**
 * pg-pool hands a new connection to TypeORM when Postgres says it is ready, without its own 'error'
 * listener; TypeORM adds one a few microtasks later. A termination that arrives in the same packet
 * as "ready" (a server shutting down, pg_terminate_backend) is emitted in between, and an 'error'
 * with no listener is an uncaught exception that ends the process. This listener stays for the
 * connection's life; the connection is then unusable, so the query given it fails and the pool
 * drops it. It logs only when it is the sole listener: otherwise TypeORM or the pool reports it.
 */
function listenForErrors(client: ClientBase): void {
  client.on('error', (error) => {
    if (client.listenerCount('error') === 1) logger.warn(`Postgres connection lost as it opened: ${error.message}`);
  });
}

/**
 * The same options for migrations (at boot and from the CLI), without the app's timeouts (the
 * client's query timeout, the session's lock and idle timeouts): a migration over a large table, or
 * an instance waiting for another's to finish, may take longer than any request should. Two
 * connections: the migration lock's and the migrations'.
 */
export function migrationOptions(options: DataSourceOptions): DataSourceOptions {
  const extra = (options as { extra?: Record<string, unknown> }).extra;
  return {
    ...options,
    extra: { ...extra, max: 2, query_timeout: 0, onConnect: listenForErrors },
  };
}

// For the TypeORM CLI: `typeorm migration:run -d dist/ormconfig.js`.
export default new DataSource(migrationOptions(dataSourceOptions()));
