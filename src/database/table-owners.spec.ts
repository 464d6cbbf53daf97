import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Each table has one owning folder; other modules go through its services. dependency-cruiser keeps
 * entity classes home (.dependency-cruiser.cjs); this catches SQL written against another module's table.
 */
const OWNERS: Record<string, string> = {
  events: 'events',
  event_outbox: 'events',
  installations: 'installations',
  sessions: 'sessions',
  pull_request_pauses: 'pr-commands',
  resolved_findings: 'review',
};

const SRC = fileURLToPath(new URL('..', import.meta.url));
const SQL_REFERENCE = /\b(?:FROM|INTO|UPDATE|JOIN|TABLE)\s+"?([a-z_]+)"?/gi;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** `folder/file.ts: table` for each SQL reference to a table outside its owner's folder. */
function foreignTableReferences(files: Array<{ path: string; text: string }>): string[] {
  return files.flatMap(({ path, text }) => {
    const folder = path.split('/')[0];
    return [...text.matchAll(SQL_REFERENCE)]
      .map((match) => match[1].toLowerCase())
      .filter((table) => table in OWNERS && OWNERS[table] !== folder)
      .map((table) => `${path}: ${table}`);
  });
}

describe('table owners', () => {
  it('finds a query against another module’s table', () => {
    expect(
      foreignTableReferences([
        { path: 'stats/stats.service.ts', text: 'SELECT status, count(*) FROM events GROUP BY 1' },
        { path: 'events/events.service.ts', text: 'INSERT INTO event_outbox (event_id) SELECT id FROM "events"' },
        { path: 'health/health.controller.ts', text: 'the events the webhook stores' },
      ]),
    ).toEqual(['stats/stats.service.ts: events']);
  });

  it('no module outside a table’s owner queries it', () => {
    const files = sourceFiles(SRC).map((path) => ({
      path: relative(SRC, path),
      text: readFileSync(path, 'utf8'),
    }));
    expect(files.length).toBeGreaterThan(50);
    expect(foreignTableReferences(files)).toEqual([]);
  });
});
