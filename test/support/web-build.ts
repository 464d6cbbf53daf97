// The UI's files come from `npm run build` (vite build web); a test run straight after a clone
// builds them once here so the tests serve the real bundle.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { webRoot } from '../../src/web-ui.js';

export function ensureWebBuilt(): void {
  if (existsSync(join(webRoot(), 'index.html'))) return;
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', 'web', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
}
