// Builds Nectr for `npm run bench` when dist/ is missing or older than its sources (BENCH_BUILD=auto|always|never).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { log, root } from './settings.js';

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function ensureBuilt(): void {
  const mode = process.env.BENCH_BUILD ?? 'auto';
  const main = join(root, 'dist', 'src', 'main.js');
  let build = mode === 'always' || !existsSync(main);
  if (!build && mode === 'auto') {
    const builtAt = statSync(main).mtimeMs;
    build = [
      'src',
      'migrations',
      'ormconfig.ts',
      'tsconfig.json',
      'tsconfig.build.json',
      'nest-cli.json',
      'package-lock.json',
    ]
      .map((p) => join(root, p))
      .some((p) => existsSync(p) && newestMtime(p) > builtAt);
  }
  if (build && mode !== 'never') {
    log('building Nectr (npm run build)…');
    const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) throw new Error('npm run build failed');
  }
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build`);
}
