import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { MAX_DEPTH, parseConfig, problemsLine } from './repo-config.parser.js';

const problems = (text: string) => {
  const parsed = parseConfig(text);
  if (parsed.ok) throw new Error('expected problems');
  return parsed.problems;
};

describe('parseConfig', () => {
  it('reports a file whose aliases expand exponentially (billion laughs) as a problem, never throws', () => {
    const levels = 'bcdefghij'.split('');
    const text = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...levels.map(
        (name, i) =>
          `${name}: &${name} [${Array(9)
            .fill(`*${i === 0 ? 'a' : levels[i - 1]}`)
            .join(',')}]`,
      ),
    ].join('\n');
    expect(problems(text)).toEqual([
      { key: '', message: 'not usable YAML: Excessive alias count indicates a resource exhaustion attack' },
    ]);
  });

  it('reports a file nested deeper than MAX_DEPTH as a problem, however often it is read (a 6 KB file killed the process)', () => {
    const flow = `review:\n  skip_authors: ${'['.repeat(3000)}${']'.repeat(3000)}\n`;
    const block = `custom_rules:\n  ${'- '.repeat(3000)}x\n`;
    for (let i = 0; i < 3; i++) {
      expect(problems(flow)).toEqual([
        { key: '', line: 2, column: 15 + MAX_DEPTH, message: `nested more than ${MAX_DEPTH} levels deep` },
      ]);
      expect(problems(block)).toEqual([
        { key: '', line: 2, column: 1 + 2 * MAX_DEPTH, message: `nested more than ${MAX_DEPTH} levels deep` },
      ]);
    }
    const nested = (depth: number) => `rules: ${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}`;
    expect(problems(nested(MAX_DEPTH))[0].message).toBe('Invalid input: expected record, received array');
    expect(problems(nested(MAX_DEPTH + 1))[0].message).toBe(`nested more than ${MAX_DEPTH} levels deep`);
  });

  it('reads every key of the contract', () => {
    const parsed = parseConfig(`
enabled: true
review:
  drafts: true
  skip_authors: ["dependabot[bot]"]
  skip_labels: ["no-review"]
  max_files: 300
paths:
  ignore: ["docs/**", "**/*.snap"]
rules:
  debug/console-log: off
  secrets/hardcoded-secret: critical
custom_rules:
  - id: team/no-moment
    pattern: "from ['\\"]moment['\\"]"
    message: Use date-fns instead of moment
    severity: low
    paths: ["src/**/*.ts"]
instructions: |
  We use Result types rather than exceptions.
status:
  fail_on: never
`);
    expect(parsed).toEqual({
      ok: true,
      file: {
        enabled: true,
        review: { drafts: true, skip_authors: ['dependabot[bot]'], skip_labels: ['no-review'], max_files: 300 },
        paths: { ignore: ['docs/**', '**/*.snap'] },
        rules: { 'debug/console-log': 'off', 'secrets/hardcoded-secret': 'critical' },
        custom_rules: [
          {
            id: 'team/no-moment',
            pattern: `from ['"]moment['"]`,
            message: 'Use date-fns instead of moment',
            severity: 'low',
            paths: ['src/**/*.ts'],
          },
        ],
        instructions: 'We use Result types rather than exceptions.\n',
        status: { fail_on: 'never' },
      },
    });
  });

  it('takes an empty file or one of comments as an empty configuration', () => {
    expect(parseConfig('')).toEqual({ ok: true, file: {} });
    expect(parseConfig('# nothing yet\n')).toEqual({ ok: true, file: {} });
  });

  it('names a wrong type by key, line and column', () => {
    expect(problems('review:\n  drafts: false\n  max_files: lots\n')).toEqual([
      { key: 'review.max_files', line: 3, column: 14, message: expect.stringMatching(/expected number/) },
    ]);
    expect(problems('rules:\n  debug/console-log: loud\n')).toEqual([
      { key: 'rules.debug/console-log', line: 2, column: 22, message: expect.any(String) },
    ]);
  });

  it('lists unknown keys where they are', () => {
    expect(problems('enabled: true\nreveiw:\n  drafts: true\npaths:\n  ignored: []\n')).toEqual([
      { key: 'reveiw', line: 2, column: 1, message: 'unknown key' },
      { key: 'paths.ignored', line: 5, column: 3, message: 'unknown key' },
    ]);
  });

  it('reports YAML that does not parse with its position', () => {
    const [problem] = problems('review:\n  drafts: [true\n');
    expect(problem).toMatchObject({
      key: '',
      line: expect.any(Number),
      message: expect.stringMatching(/^not valid YAML/),
    });
    expect(problems('a: 1\na: 2\n')[0].message).toMatch(/not valid YAML/);
  });

  it('refuses a pattern RE2 cannot run, and a custom rule without its keys', () => {
    expect(
      problems('custom_rules:\n  - id: x/y\n    pattern: "(?<=a)b"\n    message: m\n  - id: x/z\n    pattern: a\n'),
    ).toEqual([
      {
        key: 'custom_rules.0.pattern',
        line: 3,
        column: 14,
        message: expect.stringMatching(/not a valid regular expression/),
      },
      { key: 'custom_rules.1.message', line: 5, column: 5, message: expect.any(String) },
    ]);
  });

  it('accepts a catastrophic-backtracking pattern: it runs on a linear-time engine', () => {
    expect(parseConfig('custom_rules:\n  - id: x/y\n    pattern: "(a+)+$"\n    message: m\n').ok).toBe(true);
  });

  it('refuses a glob that needs lookaround, by key and position, and accepts a negated one', () => {
    expect(problems('paths:\n  ignore: ["docs/**", "!(*.md)"]\n')).toEqual([
      {
        key: 'paths.ignore.1',
        line: 2,
        column: 23,
        message: expect.stringMatching(/negated extglob .* is not supported/),
      },
    ]);
    expect(parseConfig('paths:\n  ignore: ["!src/**", "**/a/**/b/**/c/**/d/**/e"]\n').ok).toBe(true);
  });

  it('puts the problems on one line for the top of a review', () => {
    const line = problemsLine(problems('review:\n  max_files: lots\nextra: 1\n'), '.nectr.yml');
    expect(line).not.toContain('\n');
    expect(line).toMatch(/^⚠️ `.nectr.yml` was not applied, the defaults were used instead: /);
    expect(line).toContain('`extra` (line 3, column 1): unknown key');
    expect(line).toContain('`review.max_files` (line 2, column 14)');
  });

  it("takes docs/configuration.md's examples, and writes the problems line it shows", () => {
    const guide = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    const examples = [...guide.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const example of examples) expect(parseConfig(example)).toMatchObject({ ok: true });
    const shown = /^```\n(⚠️ .*)\n```$/m.exec(guide)?.[1];
    // The file that line is about: `review.max_files` a string on line 2, `reveiw` a typo on line 3.
    expect(problemsLine(problems('review:\n  max_files: many\nreveiw: 1\n'), '.nectr.yml')).toBe(shown);
  });
});
