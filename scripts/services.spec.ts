import { afterEach, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedAncestor, isRoot, prepareDataParent } from './services.js';

const mode = (path: string) => statSync(path).mode & 0o7777;
// Opening folders to the postgres user happens only as root (as in CI); elsewhere nothing is changed.
const asRoot = isRoot() ? it : it.skip;

describe('prepareDataParent', () => {
  const made: string[] = [];
  const tempRoot = () => {
    const dir = mkdtempSync(join(tmpdir(), 'nectr-services-'));
    made.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  asRoot('opens only the folders it created, never one that existed (not /tmp, not the caller’s)', () => {
    const tmpBefore = mode(tmpdir());
    const root = tempRoot();
    chmodSync(root, 0o711);
    prepareDataParent(join(root, 'a', 'b', 'pg'));
    expect(mode(join(root, 'a'))).toBe(0o755);
    expect(mode(join(root, 'a', 'b'))).toBe(0o755);
    expect(mode(root)).toBe(0o711);
    expect(mode(tmpdir())).toBe(tmpBefore);
  });

  asRoot('refuses a folder the postgres user cannot reach, naming it, and changes nothing', () => {
    const root = tempRoot(); // mkdtemp makes it 0700
    expect(() => prepareDataParent(join(root, 'pg'))).toThrow(`cannot enter ${root}`);
    expect(mode(root)).toBe(0o700);
  });
});

describe('closedAncestor', () => {
  it('names the first folder others cannot enter, or none', () => {
    const root = mkdtempSync(join(tmpdir(), 'nectr-services-'));
    try {
      chmodSync(root, 0o700);
      expect(closedAncestor(join(root, 'x', 'y'))).toBe(root);
      chmodSync(root, 0o755);
      expect(closedAncestor(join(root, 'x', 'y'))).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
