// Files the builtin rules do not read: nobody reviews lock files, vendored code or build output by
// hand, and their contents (hashes, minified code) are where false positives come from.
import type { ReviewFile } from '../review-engine.js';

const LOCK_FILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'Cargo.lock',
  'go.sum',
  'poetry.lock',
  'Pipfile.lock',
  'composer.lock',
  'Gemfile.lock',
]);

// First match wins; order goes from most to least specific reason.
const PATH_RULES: Array<[RegExp, string]> = [
  [/\.min\.(?:js|css)$/i, 'minified file'],
  [/\.map$/i, 'source map'],
  [/(?:^|\/)(?:vendor|node_modules|third_party|bower_components)\//, 'vendored code'],
  // `build/` only at the root: deeper `build/` folders are often hand-written build tooling.
  [/(?:^|\/)dist\/|^build\//, 'build output'],
  [/(?:^|\/)__snapshots__\/|\.snap$/, 'test snapshot'],
  [/\.generated\.[^/]+$|\.pb\.go$|_pb2(?:_grpc)?\.pyi?$|\.g\.dart$/i, 'generated code'],
];

/** Why the builtin engine skips a file, or undefined when it reviews it. */
export function skipReason(file: ReviewFile): string | undefined {
  const path = file.filename;
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (LOCK_FILES.has(base)) return 'lock file';
  for (const [pattern, reason] of PATH_RULES) if (pattern.test(path)) return reason;
  // GitHub leaves `patch` out for binary files and diffs too large to show.
  if (!file.patch) return 'no diff (binary, empty or too large)';
  return undefined;
}
