// The deliveries for `npm run bench`: GitHub's example pull_request.opened, signed, one distinct PR
// and head per request.
import { createHash, createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { log, PR_BASE, REPO } from './settings.js';

const require = createRequire(import.meta.url);

export interface Delivery {
  /** A new object each time it is read: the load generator hands it to autocannon as it is. */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

type MakeDelivery = (i: number) => { number: number; sha: string; delivery: Delivery };

/**
 * The bodies are written one after another into large buffers, each delivery a view of its bytes
 * with its signature's hex after them. One buffer per body meant ~150 000 ArrayBuffers alive in the
 * load generator, which every full collection marks and sweeps; autocannon copies each request into
 * a new buffer, so full collections come often under load (docs/performance.md).
 */
const SLAB_BYTES = 64 * 1024 * 1024;
const SIGNATURE_HEX = 64;

class Slabs {
  private slab = Buffer.alloc(0);
  private used = 0;

  /** A place for `bytes` bytes: the buffer and where they start. */
  reserve(bytes: number): { slab: Buffer; at: number } {
    if (this.used + bytes > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, bytes));
      this.used = 0;
    }
    const at = this.used;
    this.used += bytes;
    return { slab: this.slab, at };
  }
}

/** A signed delivery held as offsets into a slab: its body and headers are made when asked for. */
class SlabDelivery implements Delivery {
  constructor(
    private readonly slab: Buffer,
    private readonly start: number,
    private readonly end: number,
    private readonly deliveryId: string,
    private readonly common: Readonly<Record<string, string>>,
  ) {}

  get body(): Buffer {
    return this.slab.subarray(this.start, this.end);
  }

  get headers(): Record<string, string> {
    return {
      ...this.common,
      'X-GitHub-Delivery': this.deliveryId,
      'X-Hub-Signature-256': `sha256=${this.slab.toString('latin1', this.end, this.end + SIGNATURE_HEX)}`,
    };
  }
}

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
  // The payload once, as bytes cut where the number and the head SHA go.
  const parts = JSON.stringify(payload)
    .split(/("@@NUMBER@@"|@@SHA@@)/)
    .map((p) => (p === '"@@NUMBER@@"' ? 'number' : p === '@@SHA@@' ? 'sha' : Buffer.from(p, 'utf8')));
  const common: Readonly<Record<string, string>> = {
    'Content-Type': 'application/json',
    'User-Agent': 'GitHub-Hookshot/bench',
    'X-GitHub-Event': 'pull_request',
    'X-GitHub-Hook-ID': String(hookId),
    'X-GitHub-Hook-Installation-Target-Type': 'repository',
    'X-GitHub-Hook-Installation-Target-ID': String(REPO.id),
  };
  const slabs = new Slabs();
  return (i: number) => {
    const number = PR_BASE + i;
    const digits = String(number);
    const sha = createHash('sha1').update(`${runId}:${i}`).digest('hex');
    const length = parts.reduce(
      (n, p) => n + (p === 'number' ? digits.length : p === 'sha' ? sha.length : p.length),
      0,
    );
    const { slab, at } = slabs.reserve(length + SIGNATURE_HEX);
    let end = at;
    for (const p of parts) {
      if (p === 'number') end += slab.write(digits, end, 'latin1');
      else if (p === 'sha') end += slab.write(sha, end, 'latin1');
      else end += p.copy(slab, end);
    }
    const signature = createHmac('sha256', secret).update(slab.subarray(at, end)).digest('hex');
    slab.write(signature, end, 'latin1');
    return { number, sha, delivery: new SlabDelivery(slab, at, end, `bench-${runId}-${i}`, common) };
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
