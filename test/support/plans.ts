import type { DataSource } from 'typeorm';

/**
 * The plan's text, with sequential scans priced out so it shows what the indexes allow on any table
 * size. `db` must hold one connection, so the SET applies to the EXPLAIN.
 */
export async function planWithoutSeqScans(db: DataSource, sql: string, params: unknown[]): Promise<string> {
  await db.query('SET enable_seqscan = off');
  const rows: Array<{ 'QUERY PLAN': string }> = await db.query(`EXPLAIN ${sql}`, params);
  await db.query('RESET enable_seqscan');
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}
