// What a run prints: FUZZ_STATS tables, and the failure list the spec asserts is empty.

/** FUZZ_STATS=1: per kind, how many cases, which statuses came back and which the oracle allowed. */
export function stats(rows: Array<{ kind: string; status: number; accept: number[] }>): string {
  const byKind = new Map<string, { n: number; got: Map<number, number>; allowed: Map<string, number> }>();
  for (const row of rows) {
    const entry = byKind.get(row.kind) ?? { n: 0, got: new Map(), allowed: new Map() };
    entry.n++;
    entry.got.set(row.status, (entry.got.get(row.status) ?? 0) + 1);
    entry.allowed.set(row.accept.join('/'), (entry.allowed.get(row.accept.join('/')) ?? 0) + 1);
    byKind.set(row.kind, entry);
  }
  const fmt = (m: Map<string | number, number>) => [...m].map(([k, n]) => `${k}×${n}`).join(' ');
  return [...byKind]
    .map(([kind, e]) => `${kind.padEnd(18)} ${String(e.n).padStart(4)}  got ${fmt(e.got)}  allowed ${fmt(e.allowed)}`)
    .join('\n');
}

export const report = (lines: string[], total: number, seedTag: string, logged: string[] = []) =>
  lines.length === 0 ? [] : [`${lines.length} of ${total} cases failed (${seedTag})`, ...lines.slice(0, 25), ...logged];
