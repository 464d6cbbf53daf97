// The builtin engine inside a real review: file contents read from the fake GitHub's contents API
// at the head, ESLint on the syntax tree, and the fallbacks (too large, does not parse, binary,
// over the fetch budget) each ending in a posted review rather than a failed event.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_READ_LIMITS } from '../src/review/file-content.reader.js';
import { deliver, EXAMPLE_REPO, installRepo, pullRequestPayload, settledEvent } from './support/deliveries.js';
import type { FakePullFile } from './support/fake-github.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const REPO = EXAMPLE_REPO.fullName;
const head = (n: number) => n.toString(16).padStart(40, 'c');

/** A file added whole: its patch adds every line of `content`. */
function added(filename: string, content: string, patch = true): FakePullFile {
  const lines = content.split('\n');
  return {
    filename,
    status: 'added',
    additions: lines.length,
    deletions: 0,
    content,
    ...(patch ? { patch: [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n') } : {}),
  };
}

describe('builtin engine reviews with file contents', () => {
  let t: TestApp;
  let hook: { hookId: number; secret: string };
  let nextNumber = 500;

  beforeAll(async () => {
    t = await createTestApp({ env: { REVIEW_ENGINE: 'builtin', GITHUB_RETRY_BASE_MS: '10' } });
    hook = await installRepo(t, REPO, EXAMPLE_REPO.id);
    // Past .nectr.yml's default review.max_files (300) a PR gets a summary only; the test over the
    // fetch limits needs a larger PR read in full.
    t.github.repo(REPO).files!.set('.nectr.yml', 'review:\n  max_files: 400\n');
  });
  afterAll(() => t?.close());

  async function review(files: FakePullFile[]) {
    const number = nextNumber++;
    const sha = head(number);
    t.github.addPull(REPO, { number, head: { sha, ref: `f${number}` }, files });
    const res = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ number, sha }),
      ...hook,
    }).expect(200);
    const event = await settledEvent(t, res.body.event_id, 150_000);
    const [posted] = t.github.reviewsOf(REPO, number);
    const contentCalls = t.github.calls('GET', /\/contents\//).filter((c) => c.query.get('ref') === sha);
    return { event, posted, contentCalls, comments: posted?.comments ?? [] };
  }

  it('reads JS/TS files at the head (raw) and comments on what only the syntax tree shows', async () => {
    const source = [
      "import https from 'node:https';",
      'export const agent = new https.Agent({',
      '  rejectUnauthorized:',
      '    false,',
      '});',
      'export function log(console: { log(m: string): void }) {',
      "  console.log('shadowed: not the global console');",
      '}',
    ].join('\n');
    const { event, comments, contentCalls } = await review([added('src/agent.ts', source), added('docs/a.md', '# A')]);
    expect(event).toMatchObject({ status: 'completed', error: null });
    expect(contentCalls.map((c) => decodeURIComponent(c.path))).toEqual([`/repos/${REPO}/contents/src/agent.ts`]);
    expect(String(contentCalls[0]?.headers.accept)).toContain('raw');
    expect(comments.map((c) => [c.path, c.line])).toEqual([['src/agent.ts', 3]]);
    expect(comments[0]?.body).toContain('security/tls-verification-disabled');
  });

  it('reads a Python file whose hunk starts inside a docstring, and comments only on the code', async () => {
    const content = [
      'import ast',
      '',
      'def run(expr):',
      '    """Evaluate expr.',
      '',
      '    Never call eval(expr) on input; pass verify=False only in tests.',
      '    """',
      '    return eval(expr)',
    ].join('\n');
    // The hunk GitHub shows starts mid-docstring: its own lines cannot say the prose is a string.
    const patch = [
      '@@ -5,2 +5,4 @@',
      ' ',
      '+    Never call eval(expr) on input; pass verify=False only in tests.',
      '     """',
      '+    return eval(expr)',
    ];
    const file = { ...added('app/calc.py', content), status: 'modified', additions: 2, patch: patch.join('\n') };
    const { event, comments, contentCalls } = await review([file]);
    expect(event).toMatchObject({ status: 'completed', error: null });
    expect(contentCalls.map((c) => decodeURIComponent(c.path))).toEqual([`/repos/${REPO}/contents/app/calc.py`]);
    expect(comments.map((c) => [c.path, c.line])).toEqual([['app/calc.py', 8]]);
    expect(comments[0]?.body).toContain('security/eval');
  });

  it('reviews a 2 MB minified file, a file that does not parse and a binary file without error', async () => {
    const minified = `var a=${JSON.stringify('x'.repeat(2 * 1024 * 1024))};debugger;`;
    const binary: FakePullFile = {
      filename: 'src/logo.png.js',
      status: 'added',
      additions: 0,
      deletions: 0,
      content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0x1a]),
    };
    const { event, comments, posted } = await review([
      added('src/bundle.js', minified),
      added('src/broken.ts', 'export const = ;\ndebugger;'),
      binary,
    ]);
    expect(event).toMatchObject({ status: 'completed', error: null });
    // Over the size limit and not parsable: both fall back to the line rules on the patch.
    expect(comments.map((c) => [c.path, c.line, c.body.includes('debug/debugger')])).toEqual(
      expect.arrayContaining([['src/broken.ts', 2, true]]),
    );
    expect(posted?.body).toContain('src/logo.png.js');
  });

  it('reviews a pull request over the fetch limits: files past the budget fall back to the patch', async () => {
    const count = DEFAULT_READ_LIMITS.maxFiles + 5;
    const files = Array.from({ length: count }, (_, i) =>
      added(`src/m${String(i).padStart(3, '0')}.js`, `export const v${i} = ${i};\ndebugger;`),
    );
    const { event, posted, contentCalls } = await review(files);
    expect(event).toMatchObject({ status: 'completed', error: null });
    expect(contentCalls).toHaveLength(DEFAULT_READ_LIMITS.maxFiles);
    // Past the inline-comment cap the findings are listed in the body; the last files, read from
    // their patch alone, are there too.
    expect(posted?.body).toContain(`${count} medium`);
    expect(posted?.body).toContain(`src/m${count - 1}.js`);
  }, 180_000);
});
