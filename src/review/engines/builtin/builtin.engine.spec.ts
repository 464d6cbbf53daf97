import { describe, expect, it } from '@jest/globals';
import type { ReviewFile, ReviewInput } from '../review-engine.js';
import { BuiltinEngine, summarize } from './builtin.engine.js';
import { Rule } from './rule.js';

const AWS_KEY = 'AKIAQYLPMN5HFIQR7XYA';
const file = (filename: string, lines: string[], start = 1): ReviewFile => ({
  filename,
  status: 'modified',
  additions: lines.length,
  deletions: 0,
  patch: [`@@ -${start},1 +${start},${lines.length + 1} @@`, ' // context', ...lines.map((l) => `+${l}`)].join('\n'),
});

const INPUT: ReviewInput = {
  repo: 'acme/shop',
  number: 42,
  title: 'Add S3 uploads',
  body: null,
  headSha: 'a'.repeat(40),
  files: [
    file(
      'src/uploads/s3.ts',
      [
        "import { S3Client } from '@aws-sdk/client-s3';",
        `const accessKeyId = '${AWS_KEY}';`,
        'const agent = new https.Agent({ rejectUnauthorized: false });',
        "console.log('uploading', key);",
      ],
      10,
    ),
    file('src/uploads/s3.spec.ts', ["describe.only('s3', () => {", "  console.log('debug');", '});']),
    file(
      'src/config.ts',
      ['<<<<<<< HEAD', 'export const bucket = "a";', '=======', 'export const bucket = "b";', '>>>>>>> main'],
      3,
    ),
    {
      filename: 'package-lock.json',
      status: 'modified',
      additions: 900,
      deletions: 400,
      patch: `@@ -1 +1 @@\n+"${AWS_KEY}"`,
    },
    { filename: 'docs/diagram.png', status: 'added', additions: 0, deletions: 0 },
  ],
};

describe('BuiltinEngine', () => {
  it('reports exactly the problems in the pull request, in file, line, rule order', async () => {
    const engine = await BuiltinEngine.create();
    expect(engine.name).toBe('builtin');
    const result = await engine.review(INPUT);
    expect(result.findings.map(({ ruleId, path, line }) => [ruleId, path, line])).toEqual([
      ['secrets/aws-access-key', 'src/uploads/s3.ts', 12],
      ['security/tls-verification-disabled', 'src/uploads/s3.ts', 13],
      ['debug/console', 'src/uploads/s3.ts', 14],
      ['tests/focused', 'src/uploads/s3.spec.ts', 2],
      ['conflict/marker', 'src/config.ts', 4],
      ['conflict/marker', 'src/config.ts', 6],
      ['conflict/marker', 'src/config.ts', 8],
    ]);
    expect(result.skipped).toEqual([
      { path: 'package-lock.json', reason: 'lock file' },
      { path: 'docs/diagram.png', reason: 'no diff (binary, empty or too large)' },
    ]);
    expect(result.summary).toBe(
      'Nectr found 7 issues in 3 files (1 critical, 4 high, 1 medium, 1 low). ' +
        'Skipped 2 files (generated, vendored, lock or binary).',
    );
  });

  it('never echoes a full secret', async () => {
    const result = await (await BuiltinEngine.create()).review(INPUT);
    expect(JSON.stringify(result)).not.toContain(AWS_KEY);
  });

  it('adds pull-request notes after file findings; skipped files do not count towards size', async () => {
    const big = { ...file('src/big.ts', ['const a = 1;']), additions: 1200 };
    const result = await (await BuiltinEngine.create()).review({ ...INPUT, files: [big, INPUT.files[3]] });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['pr/oversized']);
    expect(result.findings[0]?.message).toContain('1200 changed lines in 1 file;');
    expect(result.summary).toBe('Nectr found 1 issue (1 info). Skipped 1 file (generated, vendored, lock or binary).');
  });

  it("sizes a push's review by the whole pull request, not only the pushed range", async () => {
    const pushed = { ...file('src/more.ts', ['export const b = 2;']), additions: 600 };
    const earlier = { ...file('src/big.ts', ['export const a = 1;']), additions: 600 };
    const engine = await BuiltinEngine.create();
    expect((await engine.review({ ...INPUT, files: [pushed] })).findings).toEqual([]);
    const result = await engine.review({
      ...INPUT,
      files: [pushed],
      pullRequestFiles: [earlier, pushed, INPUT.files[3]],
    });
    expect(result.findings.map((f) => [f.ruleId, f.path])).toEqual([['pr/oversized', '']]);
    expect(result.findings[0]?.message).toContain('1200 changed lines in 2 files;');
  });

  it('says so when nothing is found', async () => {
    const result = await (
      await BuiltinEngine.create()
    ).review({ ...INPUT, files: [file('src/ok.ts', ['export const ok = 1;'])] });
    expect(result).toEqual({ summary: 'No issues found by the builtin rules in 1 file.', findings: [], skipped: [] });
    expect(summarize([], 0, 0)).toBe('No issues found by the builtin rules in 0 files.');
  });

  it('runs only the rules it is given', async () => {
    expect((await new BuiltinEngine([]).review(INPUT)).findings).toEqual([]);
  });

  it('lets the event loop turn between files, so timers and sockets are not held for a whole review', async () => {
    // Files with nothing to read from GitHub settle in microtasks only; a timer set before the review
    // must still run before its last file is checked.
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    const seen: boolean[] = [];
    class Spy extends Rule {
      readonly id = 'test/spy';
      readonly severity = 'info';
      readonly description = 'records whether the timer has run';
      override check() {
        seen.push(timerRan);
        return [];
      }
    }
    const files = Array.from({ length: 40 }, (_, i) => file(`src/f${i}.ts`, [`export const v${i} = ${i};`]));
    await new BuiltinEngine([new Spy()]).review({ ...INPUT, files });
    expect(seen).toHaveLength(40);
    expect(seen.at(-1)).toBe(true);
  });
});

describe('BuiltinEngine on strings that span lines', () => {
  const added = (filename: string, lines: string[], start = 1): ReviewFile => ({
    filename,
    status: start === 1 ? 'added' : 'modified',
    additions: lines.length,
    deletions: 0,
    patch: [`@@ -${start},0 +${start},${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n'),
  });
  const findings = async (files: ReviewFile[], readFile?: ReviewInput['readFile']) =>
    (await (await BuiltinEngine.create()).review({ ...INPUT, files, ...(readFile ? { readFile } : {}) })).findings.map(
      (f) => [f.ruleId, f.line],
    );
  const DOCSTRING = [
    'def run(expr):',
    '    """Evaluate expr.',
    '',
    '    Never call eval(expr) on input; pass verify=False only in tests;',
    '    mark slow ones with @pytest.mark.skip.',
    '    """',
    '    return eval(expr)',
  ];

  it("reads a Python docstring's prose as text, and the code after it as code", async () => {
    expect(await findings([added('app/calc.py', DOCSTRING)])).toEqual([['security/eval', 7]]);
  });

  it('reads a JS template literal over several lines as text where ESLint does not parse the file', async () => {
    const help = ['const help = `', '  Call console.log(x) or eval(x) to see it.', '  debugger;', '`;', 'eval(help);'];
    expect(await findings([added('src/help.js', help)])).toEqual([['security/eval', 5]]);
    const vue = ['<template><p>`</p></template>', '<script>', ...help, '</script>'];
    expect(await findings([added('src/Help.vue', vue)])).toEqual([['security/eval', 7]]);
  });

  it('reads the file when a hunk starts inside a docstring, once, and still reports the code after it', async () => {
    const content = ['import ast', '', ...DOCSTRING].join('\n');
    const reads: string[] = [];
    const readFile = (path: string) => {
      reads.push(path);
      return Promise.resolve(content);
    };
    const hunk = added('app/calc.py', DOCSTRING.slice(3), 6);
    expect(await findings([hunk], readFile)).toEqual([['security/eval', 9]]);
    expect(reads).toEqual(['app/calc.py']);
    // Unread, a hunk that starts mid-file is read line by line, as before: nothing real is missed.
    expect(await findings([hunk])).toEqual([
      ['security/eval', 6],
      ['security/tls-verification-disabled', 6],
      ['tests/skipped', 7],
      ['security/eval', 9],
    ]);
  });

  it("reads a Python comment's TODO, not a `#` or a URL's `//` in a docstring", async () => {
    const doc = [
      'def issues():',
      '    """The tracker: https://github.com/acme/todo/issues.',
      '',
      '    Colours are hex (#fff); the old xxx format is gone.',
      '    """',
      '    return TRACKER  # TODO: from config',
    ];
    expect(await findings([added('app/links.py', doc)])).toEqual([['comments/todo', 6]]);
  });

  it("leaves a reST title's underline in a module docstring alone, not a conflict's separator", async () => {
    const title = ['"""', 'Calculator', '==========', '', 'Evaluates expressions.', '"""', 'import ast'];
    expect(await findings([added('app/__init__.py', title)])).toEqual([]);
    const conflict = ['"""', '<<<<<<< HEAD', 'Calculator', '=======', 'Calc', '>>>>>>> main', '"""'];
    expect(await findings([added('app/__init__.py', conflict)])).toEqual([
      ['conflict/marker', 2],
      ['conflict/marker', 4],
      ['conflict/marker', 6],
    ]);
    // A hunk that starts below the opening quotes: the file says the underline is in the docstring.
    const reads: string[] = [];
    const readFile = (path: string) => {
      reads.push(path);
      return Promise.resolve(title.join('\n'));
    };
    expect(await findings([added('app/__init__.py', title.slice(2, 4), 3)], readFile)).toEqual([]);
    expect(reads).toEqual(['app/__init__.py']);
  });

  it('reads no file when no rule that reads code fires on a line it is unsure of', async () => {
    const reads: string[] = [];
    const readFile = (path: string) => {
      reads.push(path);
      return Promise.resolve('');
    };
    expect(await findings([added('app/calc.py', ['x = 1'], 40)], readFile)).toEqual([]);
    const key = `    key = "${AWS_KEY}"`;
    expect(await findings([added('app/calc.py', [key], 40)], readFile)).toEqual([['secrets/aws-access-key', 40]]);
    expect(reads).toEqual([]);
  });
});
