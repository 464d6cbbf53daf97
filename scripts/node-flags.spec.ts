import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { productionNodeFlags } from './node-flags.js';

describe('productionNodeFlags', () => {
  const made: string[] = [];
  const rootWith = (startProd: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'nectr-node-flags-'));
    made.push(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { 'start:prod': startProd } }));
    return dir;
  };
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("gives `npm run local` and the bench start:prod's node flags, --expose-gc among them", () => {
    expect(productionNodeFlags(resolve('.'))).toEqual(['--initial-old-space-size=256', '--expose-gc']);
  });

  it('reads the flags before the script, with or without exec', () => {
    expect(productionNodeFlags(rootWith('exec node --a=1 --b dist/src/main.js --c'))).toEqual(['--a=1', '--b']);
    expect(productionNodeFlags(rootWith('node --a dist/src/main.js'))).toEqual(['--a']);
  });

  it('refuses a start:prod that does not run node', () => {
    expect(() => productionNodeFlags(rootWith('exec bun dist/src/main.js'))).toThrow(/start:prod must run node/);
  });
});
