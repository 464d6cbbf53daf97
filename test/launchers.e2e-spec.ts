// The e2e run's Postgres and Redis were started by global-setup through the same launcher code as
// `npm run local` and the bench: doing so must not change permissions outside its own folders.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('launchers', () => {
  it("leave the temp folder's mode (sticky, world-writable) as it was", () => {
    expect(process.env.NECTR_TMP_MODE_BEFORE).toBeDefined();
    expect(statSync(tmpdir()).mode & 0o7777).toBe(Number(process.env.NECTR_TMP_MODE_BEFORE));
  });

  it("put Postgres's socket in its data folder", () => {
    const root = process.env.NECTR_TEST_ROOT;
    if (process.env.DATABASE_URL || !root) return; // an outside Postgres: not ours to inspect
    const dataDir = join(root, 'pg');
    expect(existsSync(dataDir)).toBe(true);
    expect(readdirSync(dataDir).some((name) => name.startsWith('.s.PGSQL.'))).toBe(true);
  });
});
