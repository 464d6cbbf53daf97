// A Postgres connection lost as it opens (the server shutting down, an operator's
// pg_terminate_backend) fails the query that wanted it, never the process.
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { PgProxy } from './support/pg-proxy.js';
import { createTestApp, freshStore, waitFor, type TestApp } from './support/test-app.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

describe('a Postgres connection terminated as it becomes ready', () => {
  it('is not an uncaught error: the app keeps answering', async () => {
    const serverUrl = process.env.NECTR_TEST_DATABASE_URL!;
    const proxy = await new PgProxy(serverUrl).start();
    cleanups.push(() => proxy.stop());
    const { databaseUrl } = await freshStore();
    const t: TestApp = await createTestApp({ env: { DATABASE_URL: proxy.via(databaseUrl) } });
    cleanups.push(() => t.close());
    await t.http.get('/health').expect(200);

    // The pool's open connections go; the next one it opens (for the outbox relay's poll, a health
    // check, whichever comes first) gets "ready" and its termination in one packet. Without an
    // 'error' listener on it at that moment, pg's emit('error') throws out of the socket's handler.
    const raced = proxy.terminateNextOnReady();
    const admin = new pg.Client({ connectionString: serverUrl });
    admin.on('error', () => undefined);
    await admin.connect();
    cleanups.push(() => admin.end());
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
      new URL(databaseUrl).pathname.slice(1),
    ]);
    await raced;

    await waitFor(async () => (await t.http.get('/health')).status === 200, 20_000, 100);
    const events = await t.http.get('/api/v1/events').set(t.auth);
    expect(events.status).toBe(200);
  });
});
