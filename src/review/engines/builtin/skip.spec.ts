import { describe, expect, it } from '@jest/globals';
import { skipReason } from './skip.js';

const reason = (filename: string, withPatch = true) =>
  skipReason({
    filename,
    status: 'modified',
    additions: 1,
    deletions: 0,
    ...(withPatch ? { patch: '@@ -1 +1 @@\n+x' } : {}),
  });

describe('skipReason', () => {
  it.each([
    ['package-lock.json', 'lock file'],
    ['web/yarn.lock', 'lock file'],
    ['pnpm-lock.yaml', 'lock file'],
    ['Cargo.lock', 'lock file'],
    ['go.sum', 'lock file'],
    ['api/poetry.lock', 'lock file'],
    ['composer.lock', 'lock file'],
    ['Gemfile.lock', 'lock file'],
    ['public/app.min.js', 'minified file'],
    ['public/app.min.css', 'minified file'],
    ['public/app.js.map', 'source map'],
    ['vendor/github.com/x/y.go', 'vendored code'],
    ['web/node_modules/left-pad/index.js', 'vendored code'],
    ['third_party/zlib/zlib.h', 'vendored code'],
    ['dist/index.js', 'build output'],
    ['packages/ui/dist/index.js', 'build output'],
    ['build/app.js', 'build output'],
    ['src/__snapshots__/app.spec.ts.snap', 'test snapshot'],
    ['src/api.generated.ts', 'generated code'],
    ['proto/user.pb.go', 'generated code'],
    ['proto/user_pb2.py', 'generated code'],
  ])('skips %s as %s', (filename, expected) => {
    expect(reason(filename)).toBe(expected);
  });

  it('skips files GitHub shows no diff for (binary, empty or too large)', () => {
    expect(reason('assets/logo.png', false)).toBe('no diff (binary, empty or too large)');
  });

  it.each([
    'src/app.ts',
    'src/lock.ts',
    'docs/package-lock.json.md',
    'tools/build/index.ts', // only a root build/ is output; deeper ones are often build tooling
    'src/distance.ts',
    'src/vendors.ts',
    'README.md',
  ])('reviews %s', (filename) => {
    expect(reason(filename)).toBeUndefined();
  });
});
