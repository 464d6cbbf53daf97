// REDIS_URL as hosted Redis hands it out: an ACL user and password, and a database number.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { join } from 'node:path';
import { startRedis, type RunningRedis } from '../scripts/services.js';
import { killAll, startNectr } from './support/processes.js';
import { deliver, EXAMPLE_REPO, installRepo, pullRequestPayload } from './support/deliveries.js';
import { cleanFiles } from './support/pulls.js';
import { createTestApp, waitFor, type TestApp } from './support/test-app.js';

const PASSWORD = 'pw-0f3c9a7e51';

/** Sends RESP commands on one connection and returns the raw replies (enough for AUTH/SELECT/DBSIZE). */
function redisReplies(port: number, commands: string[][]): Promise<string> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (text.split('\r\n').length > commands.length) socket.end();
    });
    socket.on('end', () => done(text));
    socket.on('error', fail);
    socket.write(
      commands.map((c) => `*${c.length}\r\n${c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`).join(''),
    );
  });
}

describe('REDIS_URL with a user, a password and a database', () => {
  let redis: RunningRedis;
  let t: TestApp;

  beforeAll(async () => {
    redis = await startRedis({
      dir: join(process.env.NECTR_TEST_ROOT!, `redis-auth-${process.pid}`),
      appendOnly: false,
      args: ['--requirepass', `default-${PASSWORD}`, '--user', 'nectr', 'on', `>${PASSWORD}`, '~*', '&*', '+@all'],
    });
    t = await createTestApp({ env: { REDIS_URL: `redis://nectr:${PASSWORD}@127.0.0.1:${redis.port}/3` } });
  });
  afterAll(async () => {
    killAll();
    await t?.close();
    await redis?.stop();
  });

  it('queues and reviews through it, in that database', async () => {
    await t.http.get('/health').expect(200);
    const hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    t.github.addPull(EXAMPLE_REPO.fullName, {
      number: 5,
      head: { sha: 'a'.repeat(40), ref: 'b5' },
      files: cleanFiles(),
    });
    const res = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ number: 5, sha: 'a'.repeat(40) }),
      ...hook,
    }).expect(200);
    await waitFor(
      async () => (await t.http.get(`/api/v1/events/${res.body.event_id}`).set(t.auth)).body.status === 'completed',
      20_000,
      100,
    );
    const replies = await redisReplies(redis.port, [
      ['AUTH', 'nectr', PASSWORD],
      ['SELECT', '3'],
      ['DBSIZE'],
      ['SELECT', '0'],
      ['DBSIZE'],
    ]);
    const [auth, , inThree, , inZero] = replies.split('\r\n');
    expect(auth).toBe('+OK');
    expect(Number(inThree.slice(1))).toBeGreaterThan(0);
    expect(inZero).toBe(':0');
  });

  it('with a wrong password an api process still stores deliveries, and /health names Redis without the password', async () => {
    const wrong = await createTestApp({
      shareWith: t,
      role: 'api',
      env: { REDIS_URL: `redis://nectr:not-${PASSWORD}@127.0.0.1:${redis.port}/3` },
    });
    try {
      const hook = await installRepo(wrong, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
      const res = await deliver(wrong, {
        event: 'pull_request',
        payload: pullRequestPayload({ number: 6, sha: 'b'.repeat(40) }),
        ...hook,
      }).expect(200);
      expect(res.body.status).toBe('received');
      const health = await wrong.http.get('/health').expect(503);
      expect(health.body.message).toBe('Unavailable: redis down');
      expect(JSON.stringify(health.body)).not.toContain(PASSWORD);
    } finally {
      await wrong.close();
    }
  });

  it('with a wrong password a worker process exits 1, naming what Redis said and never the password', async () => {
    const worker = await startNectr({
      ...t.env,
      PROCESS_ROLE: 'worker',
      LOG_LEVEL: 'info',
      REDIS_URL: `redis://nectr:not-${PASSWORD}@127.0.0.1:${redis.port}/3`,
    });
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toMatch(/WRONGPASS/);
    expect(worker.output()).toContain('(an error reply from Redis: check REDIS_URL)');
    // Node's own report of an uncaught Redis error printed the AUTH command with its arguments.
    expect(worker.output()).not.toContain(PASSWORD);
  });
});
