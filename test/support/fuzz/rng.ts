// The seeded PRNG behind every fuzz case: one stream per case, replayable from FUZZ_SEED alone.

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

/** A per-case seed, so one case (FUZZ_CASE=w17) replays alone exactly as in the full run. */
export function caseSeed(seed: number, stream: number, index: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

const UNICODE_BITS = [
  'é',
  'ß',
  'Ω',
  'ж',
  '日本',
  '語',
  '🚀',
  '👩‍💻',
  '\u200b',
  '\u202e',
  'e\u0301',
  '\ufeff',
  'ﬁ',
  '١٢٣',
  '𝔘',
  '\u2028',
];

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
    for (let i = 0; i < n; i++)
      s += this.bool(0.6) ? this.string(1, 'abcXYZ019 _-./\\"\'<>&%+') : this.pick(UNICODE_BITS);
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
      case 0:
        return null;
      case 1:
        return this.bool();
      case 2:
        return this.pick([0, -1, 1.5, 2 ** 53 + 2, -(2 ** 31), 1e300, 7, 186853002]);
      case 3:
        return this.unicode(this.int(0, 12));
      case 4:
        return this.string(this.int(0, 8));
      case 5:
        return Array.from({ length: this.int(0, 4) }, () => this.json(depth - 1));
      default:
        return Object.fromEntries(
          Array.from({ length: this.int(0, 4) }, () => [this.unicode(this.int(0, 6)), this.json(depth - 1)]),
        );
    }
  }
}
