// The README admits a pooler in session mode in front of Postgres. PgBouncer refuses startup
// parameters it does not know (a session's lock_timeout, say), so Nectr sets what it needs with SET:
// this suite runs the migrations, an intake and a review through a real PgBouncer, and reads the
// session's settings.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createDatabase, freePort, isRoot } from '../scripts/services.js';
import { deliver, EXAMPLE_REPO, installRepo, pullRequestPayload, settledEvent } from './support/deliveries.js';
import { riskyFiles } from './support/pulls.js';
import { createTestApp, waitFor, type TestApp } from './support/test-app.js';

const PGBOUNCER = '/usr/sbin/pgbouncer';

/** PgBouncer in session mode in front of the e2e Postgres; it will not run as root. */
async function startPgBouncer(serverUrl: string): Promise<{ url: (database: string) => string; stop(): void }> {
  if (!existsSync(PGBOUNCER)) throw new Error(`${PGBOUNCER} is missing: apt-get install pgbouncer (.ci/run does)`);
  const server = new URL(serverUrl);
  const dir = mkdtempSync(join(process.env.NECTR_TEST_ROOT!, 'pgbouncer-'));
  const idOf = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout);
  const as = isRoot() ? { uid: idOf('-u'), gid: idOf('-g') } : {};
  if (as.uid !== undefined) chownSync(dir, as.uid, as.gid);
  chmodSync(dir, 0o755);
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port} user=${server.username} password=${decodeURIComponent(server.password)}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = any',
      'pool_mode = session',
      'max_client_conn = 200',
      'default_pool_size = 50',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
    ].join('\n'),
  );
  chmodSync(ini, 0o644);
  const child: ChildProcess = spawn(PGBOUNCER, [ini], { stdio: 'ignore', ...as });
  const listening = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(true)).on('error', () => resolve(false));
      socket.unref();
      setTimeout(() => socket.destroy(), 1000).unref();
    });
  await waitFor(listening, 10_000, 100);
  return { url: (database) => `postgres://nectr:any@127.0.0.1:${port}/${database}`, stop: () => void child.kill() };
}

describe('through PgBouncer in session mode', () => {
  let bouncer: Awaited<ReturnType<typeof startPgBouncer>>;
  let t: TestApp;

  beforeAll(async () => {
    bouncer = await startPgBouncer(process.env.NECTR_TEST_DATABASE_URL!);
    const database = new URL(
      await createDatabase(process.env.NECTR_TEST_DATABASE_URL!, `nectr_bouncer_${Date.now()}`),
    ).pathname.slice(1);
    t = await createTestApp({ env: { DATABASE_URL: bouncer.url(database) } });
  });
  afterAll(async () => {
    await t?.close();
    bouncer?.stop();
  });

  it('migrates, stores a delivery and posts its review, with its session settings in place', async () => {
    const { hookId, secret } = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    const sha = 'd'.repeat(40);
    t.github.addPull(EXAMPLE_REPO.fullName, { number: 61, head: { sha, ref: 'pooled' }, files: riskyFiles() });
    const res = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ number: 61, sha }),
      secret,
      hookId,
    });
    expect(res.body.status).toBe('received');
    expect((await settledEvent(t, res.body.event_id)).status).toBe('completed');
    expect(t.github.reviewsOf(EXAMPLE_REPO.fullName, 61)).toHaveLength(1);

    const [session]: Array<{ lock: string; idle: string }> = await t.db.query(
      `SELECT current_setting('lock_timeout') AS lock, current_setting('idle_in_transaction_session_timeout') AS idle`,
    );
    expect(session).toEqual({ lock: '3s', idle: '30s' });
  });
});
