// Small tools for the seeded fuzz suite: a PRNG that replays from a seed, a bounded-concurrency
// runner, and a raw HTTP client that sends exactly the bytes, path and headers it is given (no URL
// normalisation, no JSON encoding, several values per header allowed).
import { Agent, request, type IncomingHttpHeaders } from 'node:http';

/** mulberry32: 32-bit state, good enough to pick fuzz cases, and replayable from the seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed from FUZZ_SEED (decimal or 0x hex), else a fixed default so CI runs are stable. */
export function fuzzSeed(fallback = 0x5eed2026): number {
  const raw = process.env.FUZZ_SEED?.trim();
  if (!raw) return fallback >>> 0;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`FUZZ_SEED must be a number, got ${raw}`);
  return value >>> 0;
}

/** A per-case seed, so one case (FUZZ_CASE=w17) replays alone exactly as in the full run. */
export function caseSeed(seed: number, stream: number, index: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

const UNICODE_BITS = ['é', 'ß', 'Ω', 'ж', '日本', '語', '🚀', '👩‍💻', '\u200b', '\u202e', 'e\u0301', '\ufeff', 'ﬁ', '١٢٣', '𝔘', '\u2028'];

export class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight: [[weight, value], …]. */
  weighted<T>(items: ReadonlyArray<readonly [number, T]>): T {
    const total = items.reduce((sum, [w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [w, value] of items) {
      roll -= w;
      if (roll < 0) return value;
    }
    return items[items.length - 1][1];
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }

  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(this.next() * 16)];
    return s;
  }

  string(n: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }

  /** ASCII mixed with accents, CJK, emoji, ZWJ sequences, bidi overrides, combining marks. */
  unicode(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += this.bool(0.6) ? this.string(1, 'abcXYZ019 _-./\\"\'<>&%+') : this.pick(UNICODE_BITS);
    return s;
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.int(0, 3)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A random JSON value, `depth` levels at most. */
  json(depth = 3): unknown {
    const kind = depth <= 0 ? this.int(0, 4) : this.int(0, 6);
    switch (kind) {
      case 0: return null;
      case 1: return this.bool();
      case 2: return this.pick([0, -1, 1.5, 2 ** 53 + 2, -(2 ** 31), 1e300, 7, 186853002]);
      case 3: return this.unicode(this.int(0, 12));
      case 4: return this.string(this.int(0, 8));
      case 5: return Array.from({ length: this.int(0, 4) }, () => this.json(depth - 1));
      default: return Object.fromEntries(Array.from({ length: this.int(0, 4) }, () => [this.unicode(this.int(0, 6)), this.json(depth - 1)]));
    }
  }
}

/** Runs `fn` over `items`, `concurrency` at a time, keeping the order of the results. */
export async function pool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/**
 * A header value as bytes on the wire: UTF-8 text is sent as its bytes (which Node writes as
 * latin1), and the control characters Node's client refuses are dropped.
 */
export function headerValue(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1').replace(/[^\t\x20-\x7e\x80-\xff]/g, '');
}

export interface RawRequest {
  method: string;
  /** Sent as is: percent-encode anything outside \x21-\xff yourself. */
  path: string;
  headers?: Record<string, string | string[] | undefined>;
  body?: Buffer;
}

export interface RawResponse {
  /** 0 when no answer came (connection error or timeout: see `error`). */
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  ms: number;
  error?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

export function destroyAgent(): void {
  agent.destroy();
}

/** One HTTP request to 127.0.0.1:`port`, never rejecting: failures come back as status 0. */
export function rawRequest(port: number, req: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
  const started = Date.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (res: Omit<RawResponse, 'ms'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...res, ms: Date.now() - started });
    };
    const headers: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(req.headers ?? {})) if (value !== undefined) headers[key] = value;
    if (req.body && headers['content-length'] === undefined) headers['content-length'] = String(req.body.length);
    let outgoing: ReturnType<typeof request>;
    try {
      outgoing = request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => finish({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => finish({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), error: error.message }));
      });
    } catch (error) {
      // Node refused to send it (invalid header or path): a bug in the generator, not the server.
      resolve({ status: -1, headers: {}, text: '', ms: 0, error: `client refused: ${(error as Error).message}` });
      return;
    }
    const timer = setTimeout(() => {
      outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    outgoing.on('error', (error) => finish({ status: 0, headers: {}, text: '', error: error.message }));
    outgoing.end(req.body);
  });
}

/** The body as JSON, or undefined when it is not JSON. */
export function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A short, printable preview of bytes or text for failure reports. */
export function preview(value: Buffer | string | undefined, max = 160): string {
  if (value === undefined) return '(none)';
  const text = Buffer.isBuffer(value) ? value.subarray(0, max * 4).toString('latin1') : value;
  const shown = JSON.stringify(text.length > max ? text.slice(0, max) : text);
  const size = Buffer.isBuffer(value) ? value.length : text.length;
  return size > max ? `${shown}… (${size} ${Buffer.isBuffer(value) ? 'bytes' : 'chars'})` : shown;
}
