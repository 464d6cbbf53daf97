// The run's knobs, read from the environment once: the seed, the case counts, the replay filter.
// (FUZZ_STATS is read by the spec, where the stats are printed.)

/** The seed from FUZZ_SEED (decimal or 0x hex), else a fixed default so CI runs are stable. */
export function fuzzSeed(fallback = 0x5eed2026): number {
  const raw = process.env.FUZZ_SEED?.trim();
  if (!raw) return fallback >>> 0;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`FUZZ_SEED must be a number, got ${raw}`);
  return value >>> 0;
}

export const SEED = fuzzSeed();
export const WEBHOOK_CASES = Number(process.env.FUZZ_WEBHOOK_CASES ?? 400);
export const MANAGEMENT_CASES = Number(process.env.FUZZ_MANAGEMENT_CASES ?? 150);
export const ONLY = process.env.FUZZ_CASE?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
export const CONCURRENCY = 8;
export const SEED_TAG = `FUZZ_SEED=${SEED}`;

export const selected = (id: string) => !ONLY || ONLY.includes(id);
