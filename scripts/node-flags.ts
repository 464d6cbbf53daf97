// The node flags of `npm run start:prod` (package.json), for the scripts that start Nectr
// themselves (`npm run local`, `npm run bench`), so they run it the way production does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function productionNodeFlags(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  // `exec` (so that npm's shell hands SIGTERM to node) is the shell's, not node's.
  const [command, ...words] = pkg.scripts['start:prod']
    .trim()
    .replace(/^exec\s+/, '')
    .split(/\s+/);
  if (command !== 'node') throw new Error(`start:prod must run node, got: ${pkg.scripts['start:prod']}`);
  return words.slice(
    0,
    words.findIndex((w) => !w.startsWith('--')),
  );
}
