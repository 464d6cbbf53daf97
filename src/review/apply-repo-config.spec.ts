import { describe, expect, it } from '@jest/globals';
import type { Finding, ReviewFile } from './engines/review-engine.js';
import {
  applyRules,
  CUSTOM_RULE_MAX_LINE,
  customRuleFindings,
  filterFiles,
  findingScope,
  skipReason,
  summaryOnly,
  unknownRuleIds,
  withRepoConfig,
} from './apply-repo-config.js';
import { mergeConfig } from '../repo-config/repo-config.merge.js';
import type { RepoConfigFile } from '../config/repo-config.schema.js';

const config = (file: RepoConfigFile = {}) => mergeConfig([{ source: 'repository', file }]).config;
const pr = { draft: false, author: 'ann', labels: ['bug'] };
const auto = { paused: false, requested: false };
const file = (filename: string, ...added: string[]): ReviewFile => ({
  filename,
  status: 'modified',
  additions: added.length,
  deletions: 0,
  patch: `@@ -1,0 +1,${added.length} @@\n${added.map((line) => `+${line}`).join('\n')}`,
});

describe('skipReason', () => {
  it('reviews by default', () => {
    expect(skipReason(config(), pr, auto)).toBeUndefined();
  });

  it('skips as each key says', () => {
    expect(skipReason(config({ enabled: false }), pr, auto)).toMatch(/enabled is false/);
    expect(skipReason(config(), { ...pr, draft: true }, auto)).toMatch(/draft/);
    expect(skipReason(config({ review: { drafts: true } }), { ...pr, draft: true }, auto)).toBeUndefined();
    expect(skipReason(config({ review: { skip_authors: ['ANN'] } }), pr, auto)).toMatch(/author ann/);
    expect(skipReason(config({ review: { skip_labels: ['Bug'] } }), pr, auto)).toMatch(/label "bug"/);
    expect(skipReason(config(), pr, { paused: true, requested: false })).toMatch(/paused/);
  });

  it('lets a maintainer’s /nectr review through everything but enabled: false', () => {
    const all = config({ review: { skip_authors: ['ann'], skip_labels: ['bug'] } });
    expect(skipReason(all, { ...pr, draft: true }, { paused: true, requested: true })).toBeUndefined();
    expect(skipReason(config({ enabled: false }), pr, { paused: false, requested: true })).toMatch(/enabled/);
  });
});

describe('filterFiles and summaryOnly', () => {
  it('keeps ignored paths from the engines and lists them', () => {
    const files = [
      file('docs/a.md', 'x'),
      file('src/a.ts', 'x'),
      file('src/__snapshots__/a.snap', 'x'),
      file('.github/x.yml', 'x'),
    ];
    const { files: kept, ignored } = filterFiles(
      config({ paths: { ignore: ['docs/**', '**/*.snap', '.github/**'] } }),
      files,
    );
    expect(kept.map((f) => f.filename)).toEqual(['src/a.ts']);
    expect(ignored.map((f) => f.path)).toEqual(['docs/a.md', 'src/__snapshots__/a.snap', '.github/x.yml']);
  });

  it('matches files in dot folders too (`**/*.snap`, `docs/**`)', () => {
    const files = [file('.storybook/__snapshots__/a.snap', 'x'), file('docs/.vuepress/config.js', 'x')];
    const { files: kept, ignored } = filterFiles(config({ paths: { ignore: ['**/*.snap', 'docs/**'] } }), files);
    expect(kept).toEqual([]);
    expect(ignored.map((f) => f.path)).toEqual(['.storybook/__snapshots__/a.snap', 'docs/.vuepress/config.js']);
  });

  it('gives a PR past max_files a summary only', () => {
    const files = [file('a', 'x'), file('b', 'x')];
    expect(summaryOnly(config({ review: { max_files: 2 } }), files)).toBeUndefined();
    expect(summaryOnly(config({ review: { max_files: 1 } }), files)).toEqual({
      summary: '',
      findings: [],
      skipped: [],
      notice: expect.stringContaining('changes 2 files, more than review.max_files (1)'),
    });
  });
});

describe('findingScope', () => {
  const rule = { id: 'team/no-moment', pattern: 'moment', message: 'Use date-fns' };
  const base: RepoConfigFile = { paths: { ignore: ['docs/**'] }, rules: { 'debug/console-log': 'off' } };

  it('changes with each key that decides what a review can find', () => {
    const scopes = [
      base,
      { ...base, paths: { ignore: [] } },
      { ...base, review: { max_files: 10 } },
      { ...base, rules: { 'debug/console-log': 'low' } },
      { ...base, rules: {} },
      { ...base, custom_rules: [rule] },
      { ...base, custom_rules: [{ ...rule, severity: 'high' }] },
      { ...base, custom_rules: [{ ...rule, paths: ['src/**'] }] },
    ].map((file) => findingScope(config(file as RepoConfigFile)));
    expect(new Set(scopes).size).toBe(scopes.length);
  });

  it('does not change with how a head is judged, whether it is reviewed, or the order of rules', () => {
    const scope = findingScope(config({ ...base, rules: { 'debug/console-log': 'off', 'todo/comment': 'low' } }));
    expect(findingScope(config({ ...base, rules: { 'todo/comment': 'low', 'debug/console-log': 'off' } }))).toBe(scope);
    const judged: RepoConfigFile = {
      ...base,
      rules: { 'debug/console-log': 'off', 'todo/comment': 'low' },
      status: { fail_on: 'never' },
      review: { drafts: true, skip_labels: ['wip'] },
      instructions: 'Prefer Result types.',
    };
    expect(findingScope(config(judged))).toBe(scope);
  });
});

describe('applyRules', () => {
  const finding = (ruleId: string): Finding => ({ ruleId, severity: 'medium', path: 'a.ts', line: 1, message: 'm' });

  it('silences a rule set to off and re-grades one given a severity', () => {
    const rules = config({ rules: { 'debug/console-log': 'off', 'secrets/hardcoded-secret': 'critical' } });
    expect(
      applyRules(rules, [finding('debug/console'), finding('secrets/hardcoded-secret'), finding('tests/focused')]),
    ).toEqual([{ ...finding('secrets/hardcoded-secret'), severity: 'critical' }, finding('tests/focused')]);
  });

  it("takes a renamed rule's old id (debug/console-log is now debug/console); the current id wins", () => {
    const both = config({ rules: { 'debug/console-log': 'off', 'debug/console': 'low' } });
    expect(applyRules(both, [finding('debug/console')])).toEqual([{ ...finding('debug/console'), severity: 'low' }]);
  });

  it("lets the repository's old id win over the operator's current one, and the other way round", () => {
    const layered = (operator: Record<string, 'off' | 'low' | 'high'>, repository: typeof operator) =>
      mergeConfig([
        { source: 'operator', file: { rules: operator } },
        { source: 'repository', file: { rules: repository } },
      ]);
    // The team copied docs/configuration.md's example (`debug/console-log: off`).
    const silenced = layered({ 'debug/console': 'high' }, { 'debug/console-log': 'off' });
    expect(applyRules(silenced.config, [finding('debug/console')], silenced.sources)).toEqual([]);
    const regraded = layered({ 'debug/console-log': 'off' }, { 'debug/console': 'low' });
    expect(applyRules(regraded.config, [finding('debug/console')], regraded.sources)).toEqual([
      { ...finding('debug/console'), severity: 'low' },
    ]);
  });
});

describe('customRuleFindings', () => {
  const moment = {
    id: 'team/no-moment',
    pattern: `from ['"]moment['"]`,
    message: 'Use date-fns instead of moment',
    paths: ['src/**/*.ts'],
  };

  it('fires on added lines of its paths only, medium by default', () => {
    const files = [
      file('src/a.ts', 'const a = 1;', "import m from 'moment';"),
      file('lib/b.ts', "import m from 'moment';"),
    ];
    expect(customRuleFindings(config({ custom_rules: [moment] }), files).findings).toEqual([
      { ruleId: 'team/no-moment', severity: 'medium', path: 'src/a.ts', line: 2, message: moment.message },
    ]);
    expect(
      customRuleFindings(config({ custom_rules: [{ ...moment, paths: undefined, severity: 'low' }] }), files).findings,
    ).toHaveLength(2);
  });

  it('applies its paths to files in dot folders too', () => {
    const files = [file('.github/scripts/a.ts', "import m from 'moment';")];
    expect(
      customRuleFindings(config({ custom_rules: [{ ...moment, paths: ['**/*.ts'] }] }), files).findings,
    ).toHaveLength(1);
  });

  it('anchors $ at the end of a line of a file with Windows line endings', () => {
    const crlf = config({ custom_rules: [{ id: 'team/semi', pattern: 'moment\\(\\)$', message: 'm' }] });
    const patch = '@@ -0,0 +1,2 @@\n+const a = moment()\r\n+const b = moment()\r';
    const { findings } = customRuleFindings(crlf, [
      { filename: 'a.ts', status: 'added', additions: 2, deletions: 0, patch },
    ]);
    expect(findings.map((f) => f.line)).toEqual([1, 2]);
  });

  it('does not hold a worker on (a+)+$ over a 4 000-character line', () => {
    const line = `${'a'.repeat(4_000)}!`;
    const started = performance.now();
    const { findings } = customRuleFindings(
      config({ custom_rules: [{ id: 'x/redos', pattern: '(a+)+$', message: 'm' }] }),
      [file('src/a.ts', line)],
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(findings).toEqual([]);
    // Same engine, a line it matches: it finds it.
    expect(
      customRuleFindings(config({ custom_rules: [{ id: 'x/redos', pattern: '(a+)+$', message: 'm' }] }), [
        file('a', 'a'.repeat(4_000)),
      ]).findings,
    ).toHaveLength(1);
  });

  it('skips lines longer than CUSTOM_RULE_MAX_LINE, where one match could take seconds', () => {
    // Linear is not cheap: `(?i)(\\pL{1,500}\\pN{1,499})y` costs RE2 ~40 µs a character, ~2 s on a
    // 50 000-character line, and a match cannot be interrupted. The test checks which lines are
    // matched, not how long it took: a wall-clock bound fails on a busy machine.
    const every = config({ custom_rules: [{ id: 'x/a', pattern: 'a', message: 'm' }] });
    const files = [
      file(
        'src/a.min.txt',
        'a'.repeat(CUSTOM_RULE_MAX_LINE + 1),
        'a'.repeat(CUSTOM_RULE_MAX_LINE),
        'a'.repeat(100_000),
      ),
    ];
    expect(customRuleFindings(every, files).findings.map((f) => f.line)).toEqual([2]);
  });

  it('stops at its time budget and says which files it did not finish', () => {
    // A clock that moves 100 ms at each look: the budget of 500 ms runs out after the fifth match,
    // however fast or loaded the machine is.
    let clock = 0;
    const looks = () => (clock += 100);
    const line = 'a'.repeat(CUSTOM_RULE_MAX_LINE);
    const files = [file('src/a.txt', ...Array.from({ length: 50 }, () => line)), file('src/b.txt', line)];
    const rules = Array.from({ length: 10 }, (_, i) => ({ id: `x/r${i}`, pattern: `y${i}$`, message: 'm' }));
    const run = customRuleFindings(config({ custom_rules: rules }), files, { ms: 500, now: looks });
    expect(clock).toBe(700); // the deadline (at 600) was passed on the seventh look
    expect(run.findings).toEqual([]);
    expect(run.notice).toMatch(/`custom_rules` took more than 0.5 s and were stopped: 2 files of this review were not/);
  });
});

describe('withRepoConfig', () => {
  it('adds custom findings, applies overrides, lists ignored files and carries the notice', () => {
    const loaded = {
      config: config({ rules: { 'team/x': 'high' }, custom_rules: [{ id: 'team/x', pattern: 'TODO', message: 'm' }] }),
      notice: '⚠️ broken',
      sources: { 'rules.team/x': 'repository' as const },
    };
    const result = withRepoConfig(
      loaded,
      { files: [file('a.ts', '// TODO')], ignored: [{ path: 'docs/a.md', reason: 'ignored' }] },
      { summary: 's', findings: [], skipped: [{ path: 'yarn.lock', reason: 'lock file' }] },
    );
    expect(result).toEqual({
      summary: 's',
      findings: [{ ruleId: 'team/x', severity: 'high', path: 'a.ts', line: 1, message: 'm' }],
      skipped: [
        { path: 'docs/a.md', reason: 'ignored' },
        { path: 'yarn.lock', reason: 'lock file' },
      ],
      notice: '⚠️ broken',
    });
  });

  it("opens with a broken file's line, before the engine's own notice", () => {
    const loaded = { config: config(), notice: '⚠️ broken', sources: {} };
    const result = withRepoConfig(
      loaded,
      { files: [], ignored: [] },
      { summary: '', findings: [], skipped: [], notice: 'This pull request changes 301 files' },
    );
    expect(result.notice).toBe('⚠️ broken\n\nThis pull request changes 301 files');
  });
});

describe('rule ids under rules: that no finding can carry', () => {
  it('lists those the repository set, not builtin ids, old names, model engines or custom rules', () => {
    const loaded = {
      config: config({
        rules: {
          'secrets/nope': 'off',
          'todo/comment': 'low',
          'debug/console-log': 'off',
          'secrets/aws-access-key': 'critical',
          'model/anthropic': 'low',
          'model/openai': 'off',
          'model/antropic': 'off',
          'team/x': 'high',
        },
        custom_rules: [{ id: 'team/x', pattern: 'TODO', message: 'm' }],
      }),
      sources: { 'rules.secrets/nope': 'repository' as const, 'rules.todo/comment': 'operator' as const },
    };
    expect(unknownRuleIds(loaded.config)).toEqual(['secrets/nope', 'todo/comment', 'model/antropic']);
    const result = withRepoConfig(loaded, { files: [], ignored: [] }, { summary: '', findings: [], skipped: [] });
    expect(result.notice).toBe(
      "⚠️ `.nectr.yml` sets `rules.secrets/nope`, but Nectr has no such rule, so it changes nothing (Nectr's README lists the rule ids).",
    );
  });
});

describe('mergeConfig', () => {
  it('overrides key by key and says where each value came from', () => {
    const merged = mergeConfig([
      { source: 'operator', file: { review: { max_files: 50, drafts: true }, rules: { a: 'off', b: 'low' } } },
      { source: 'repository', file: { review: { max_files: 10 }, rules: { b: 'high' }, paths: { ignore: ['x'] } } },
    ]);
    expect(merged.config.review).toEqual({ drafts: true, skip_authors: [], skip_labels: [], max_files: 10 });
    expect(merged.config.rules).toEqual({ a: 'off', b: 'high' });
    expect(merged.sources).toMatchObject({
      enabled: 'default',
      'review.drafts': 'operator',
      'review.max_files': 'repository',
      'review.skip_authors': 'default',
      'paths.ignore': 'repository',
      'rules.a': 'operator',
      'rules.b': 'repository',
      'status.fail_on': 'default',
    });
    expect(merged.config.status.fail_on).toBe('high');
  });
});
