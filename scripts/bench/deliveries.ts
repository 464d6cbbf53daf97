// The deliveries for `npm run bench`: GitHub's example pull_request.opened, signed, one distinct PR
// and head per request.
import { createHash, createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { log, PR_BASE, REPO } from './settings.js';

const require = createRequire(import.meta.url);

export interface Delivery {
  headers: Record<string, string>;
  body: Buffer;
}

type MakeDelivery = (i: number) => { number: number; sha: string; delivery: Delivery };

export function deliveryFactory(runId: string, secret: string, hookId: number): MakeDelivery {
  const examples = require('@octokit/webhooks-examples') as Array<{
    name: string;
    examples: Array<Record<string, unknown>>;
  }>;
  const found = examples.find((e) => e.name === 'pull_request')?.examples.find((e) => e.action === 'opened');
  if (!found) throw new Error('@octokit/webhooks-examples has no pull_request.opened example');
  const payload = structuredClone(found);
  const pull = payload.pull_request as { number: unknown; draft: boolean; head: { sha: string } };
  payload.number = '@@NUMBER@@';
  pull.number = '@@NUMBER@@';
  pull.head.sha = '@@SHA@@';
  pull.draft = false;
  // The payload once, as bytes cut where the number and the head SHA go (little garbage per body).
  const parts = JSON.stringify(payload)
    .split(/("@@NUMBER@@"|@@SHA@@)/)
    .map((p) => (p === '"@@NUMBER@@"' ? 'number' : p === '@@SHA@@' ? 'sha' : Buffer.from(p, 'utf8')));
  return (i: number) => {
    const number = PR_BASE + i;
    const sha = createHash('sha1').update(`${runId}:${i}`).digest('hex');
    const body = Buffer.concat(
      parts.map((p) => (p === 'number' ? Buffer.from(String(number)) : p === 'sha' ? Buffer.from(sha) : p)),
    );
    const delivery: Delivery = {
      body,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'GitHub-Hookshot/bench',
        'X-GitHub-Event': 'pull_request',
        'X-GitHub-Delivery': `bench-${runId}-${i}`,
        'X-GitHub-Hook-ID': String(hookId),
        'X-GitHub-Hook-Installation-Target-Type': 'repository',
        'X-GitHub-Hook-Installation-Target-ID': String(REPO.id),
        'X-Hub-Signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      },
    };
    return { number, sha, delivery };
  };
}

/**
 * Signed bodies made while nothing is measured, so signing does not weigh on the client: `count` at
 * first, and `refill(ahead)` before each round tops them up to at least `ahead` not yet handed out,
 * making new ones in place of those already sent (the client holds about as many bodies in every
 * run). `addPull` registers each PR number (with the same head) on the fake GitHub so the worker can
 * review it. `distinct()` hands out each body once (signing more on the fly past the pool, which
 * costs the client CPU and garbage: `signedOnTheFly()` counts them); `cycling()` repeats the pool.
 */
export function signedDeliveries(
  make: MakeDelivery,
  count: number,
  addPull: (i: number, number: number, sha: string) => void,
) {
  let made = 0;
  const register = () => {
    const { number, sha, delivery } = make(made);
    addPull(made++, number, sha);
    return delivery;
  };
  let pool: Delivery[] = [];
  let next = 0; // the first body of `pool` not yet handed out by distinct()
  let lazily = 0;
  const refill = (ahead: number) => {
    const missing = Math.max(0, ahead - (pool.length - next));
    if (missing === 0) return 0;
    const madeAt = Date.now();
    const fresh: Delivery[] = [];
    for (let i = 0; i < missing; i++) fresh.push(register());
    pool = [...pool.slice(next), ...fresh];
    next = 0;
    log(
      `${missing} signed deliveries of ${pool[0].body.length} bytes ready in ${((Date.now() - madeAt) / 1000).toFixed(1)} s`,
    );
    return missing;
  };
  refill(Math.max(1, count));
  const first = pool[0];
  const distinct = () => {
    if (next < pool.length) return pool[next++];
    lazily++;
    return register(); // beyond the pool: made on the fly, still distinct
  };
  let cycle = 0;
  const cycling = () => pool[cycle++ % pool.length];
  return {
    first,
    bodyBytes: first.body.length,
    distinct,
    cycling,
    refill,
    /** Bodies made and not yet handed out by distinct(). */
    ahead: () => pool.length - next,
    signedOnTheFly: () => lazily,
  };
}
