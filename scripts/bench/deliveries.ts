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
 * `count` signed bodies, made before any load so signing does not weigh on the client. `addPull`
 * registers each PR number (with the same head) on the fake GitHub so the worker can review it.
 * `distinct()` hands out each body once (signing more on the fly past the pool); `cycling()` repeats.
 */
export function signedDeliveries(
  make: MakeDelivery,
  count: number,
  addPull: (i: number, number: number, sha: string) => void,
) {
  const pool: Delivery[] = [];
  const register = (i: number) => {
    const { number, sha, delivery } = make(i);
    addPull(i, number, sha);
    return delivery;
  };
  const madeAt = Date.now();
  for (let i = 0; i < count; i++) pool.push(register(i));
  log(
    `${pool.length} signed deliveries of ${pool[0].body.length} bytes ready in ${((Date.now() - madeAt) / 1000).toFixed(1)} s`,
  );
  let lazily = 0;
  const distinct = (() => {
    let next = 0;
    return () => {
      const i = next++;
      if (i < pool.length) return pool[i];
      lazily++;
      return register(i); // beyond the pool: made on the fly, still distinct
    };
  })();
  const cycling = (() => {
    let next = 0;
    return () => pool[next++ % pool.length];
  })();
  return { first: pool[0], bodyBytes: pool[0].body.length, distinct, cycling, signedOnTheFly: () => lazily };
}
