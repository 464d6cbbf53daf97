// A process frozen inside a transaction (a debugger, a heap snapshot, SIGSTOP, a paused container)
// keeps its row locks. The intake must still answer GitHub within its 10 s: deliveries that do not
// need the locked row are stored, and the one that does is refused with a 503 to be sent again.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../ormconfig.js';
import { deliver, EXAMPLE_REPO, installRepo, pullRequestPayload } from './support/deliveries.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('a transaction held open by a frozen process', () => {
  let t: TestApp;
  let hookId: number;
  let secret: string;
  let holder: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ role: 'api' });
    ({ hookId, secret } = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id));
    holder = await new DataSource(dataSourceOptions(t.env.DATABASE_URL, 1)).initialize();
  });
  afterAll(async () => {
    await holder?.destroy();
    await t?.close();
  });

  const pullRequest = (number: number, sha: string) =>
    deliver(t, { event: 'pull_request', payload: pullRequestPayload({ number, sha }), secret, hookId });

  it('stalls no delivery past a few seconds, and refuses only the one that needs the locked row', async () => {
    const head = 'a'.repeat(40);
    const first = await pullRequest(51, head);
    expect(first.body.status).toBe('received');

    // What a worker frozen while taking the posting lease holds: the event's row, updated, uncommitted.
    const frozen = holder.createQueryRunner();
    await frozen.connect();
    await frozen.startTransaction();
    await frozen.query('UPDATE events SET posting_since = now() WHERE id = $1', [first.body.event_id]);
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await frozen.rollbackTransaction();
      await frozen.release();
    };
    // However the test ends, the lock goes, so the app can close.
    const cap = setTimeout(() => void release(), 20_000);
    try {
      const answered = (res: { status: number; body: { status?: string } }) => ({
        status: res.status,
        stored: res.body.status,
        whileHeld: !released,
      });
      const [sameHead, other, later] = await Promise.all([
        pullRequest(51, head).then(answered),
        pullRequest(52, 'b'.repeat(40)).then(answered),
        // After the batch that waits on the row: a later delivery must not queue behind it.
        new Promise((resume) => setTimeout(resume, 200)).then(() => pullRequest(53, 'c'.repeat(40)).then(answered)),
      ]);
      expect(other).toEqual({ status: 200, stored: 'received', whileHeld: true });
      expect(later).toEqual({ status: 200, stored: 'received', whileHeld: true });
      expect(sameHead).toMatchObject({ status: 503, whileHeld: true });
    } finally {
      clearTimeout(cap);
      await release();
    }

    // Sent again once the lock is gone, the same head is the duplicate it is.
    const again = await pullRequest(51, head);
    expect(again.body.status).toBe('duplicate_skipped');
    const stored: Array<{ n: number }> = await t.db.query(
      'SELECT count(*)::int AS n FROM events WHERE pr_number IN (51, 52, 53)',
    );
    expect(stored[0].n).toBe(3);
  }, 60_000);

  it("sets Postgres's lock and idle-in-transaction timeouts on Nectr's sessions", async () => {
    const [row]: Array<{ lock: string; idle: string }> = await t.db.query(
      `SELECT current_setting('lock_timeout') AS lock, current_setting('idle_in_transaction_session_timeout') AS idle`,
    );
    expect(row).toEqual({ lock: '3s', idle: '30s' });
  });
});
