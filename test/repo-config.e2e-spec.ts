// `.nectr.yml` (REVIEW.md §3) end to end: read from the default branch through the fake GitHub's
// contents API (ETags, 304s), applied to real reviews, and shown by GET /repos/{o}/{r}/config.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  deliver,
  EXAMPLE_REPO,
  installRepo,
  pullRequestPayload,
  settledEvent,
  type SettledEvent,
} from './support/deliveries.js';
import type { FakePullFile } from './support/fake-github.js';
import { etagOf } from './support/fake-github-conversation.js';
import { FakeModelServer } from './support/fake-models.js';
import { riskyFiles } from './support/pulls.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const REPO = EXAMPLE_REPO.fullName;
const head = (n: number) => n.toString(16).padStart(40, 'c');

/** The event of a delivered head once it has ended. */
const settled = (t: TestApp, id: string) => settledEvent(t, id) as Promise<SettledEvent & { head_sha: string }>;

/** Opens PRs on the fake GitHub, delivers `opened` and waits for the event to settle. */
function reviewer(t: () => TestApp, hook: () => { hookId: number; secret: string }) {
  let next = 200;
  return async (
    files: FakePullFile[],
    pull: { draft?: boolean; user?: string; labels?: string[]; number?: number; action?: string } = {},
  ) => {
    const number = pull.number ?? next++;
    const sha = head(number * 1000 + t().github.requests.length);
    t().github.addPull(REPO, { number, head: { sha, ref: `f${number}` }, files, ...pull });
    // Author, labels and draft come from the delivery, as GitHub sends them.
    const payload = pullRequestPayload({ number, sha, draft: pull.draft, action: pull.action });
    if (pull.user) (payload.pull_request.user as { login: string }).login = pull.user;
    payload.pull_request.labels = (pull.labels ?? []).map((name) => ({ name }));
    const res = await deliver(t(), { event: 'pull_request', payload, ...hook() }).expect(200);
    expect(res.body.status).toBe('received');
    const event = await settled(t(), res.body.event_id);
    const reviews = t().github.reviewsOf(REPO, number);
    return { number, sha, event, reviews, review: reviews.at(-1) };
  };
}

const ts = (path: string, ...lines: string[]): FakePullFile => ({
  filename: path,
  status: 'modified',
  additions: lines.length,
  deletions: 0,
  patch: `@@ -1,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`,
});

describe('.nectr.yml with the builtin engine', () => {
  let t: TestApp;
  let hook: { hookId: number; secret: string };
  const review = reviewer(
    () => t,
    () => hook,
  );
  const setFile = (text: string | undefined) => {
    const files = t.github.repo(REPO).files!;
    if (text === undefined) files.delete('.nectr.yml');
    else files.set('.nectr.yml', text);
  };

  /** A push to PR `number` (its files after it, the range it changed) delivered; its event once ended. */
  const push = async (number: number, change: { files: FakePullFile[]; range: FakePullFile[]; status?: string }) => {
    const sha = head(number * 1000 + t.github.requests.length);
    t.github.push(REPO, number, { sha, ...change });
    const payload = pullRequestPayload({ number, sha, action: 'synchronize' });
    return settled(t, (await deliver(t, { event: 'pull_request', payload, ...hook }).expect(200)).body.event_id);
  };

  /** Compare calls so far: a push reviewed as its range makes one, a push reviewed whole none. */
  const compares = () => t.github.calls('GET', /\/compare\//).length;

  beforeAll(async () => {
    const defaults = join(tmpdir(), `nectr-defaults-${process.pid}.yml`);
    writeFileSync(defaults, 'review:\n  max_files: 40\nrules:\n  todo/comment: low\n');
    // Every test changes the file: no caching of its absence between them.
    t = await createTestApp({ env: { REPO_CONFIG_DEFAULTS: defaults, REPO_CONFIG_MISSING_TTL_SECONDS: '0' } });
    hook = await installRepo(t, REPO, EXAMPLE_REPO.id);
  });
  afterAll(() => t?.close());

  it('reviews with the defaults when there is no file, and reads it from the default branch', async () => {
    setFile(undefined);
    const { event, review: posted } = await review(riskyFiles());
    expect(event.status).toBe('completed');
    expect(posted!.comments.some((c) => c.body.includes('`debug/console`'))).toBe(true);
    const reads = t.github.calls('GET', /\/contents\/\.nectr\.yml$/);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => !r.query.has('ref'))).toBe(true);
  });

  it('never sends ignored paths to the engine, silences a rule set to off, re-grades another', async () => {
    setFile(
      [
        'paths:',
        '  ignore: ["test/**", "docs/**"]',
        'rules:',
        '  debug/console-log: off',
        '  secrets/aws-access-key: low',
      ].join('\n'),
    );
    const { event, review: posted } = await review([...riskyFiles(), ts('docs/guide.md', 'console.log(1)')]);
    expect(event.status).toBe('completed');
    const comments = posted!.comments;
    expect(comments.some((c) => c.path.startsWith('test/') || c.path.startsWith('docs/'))).toBe(false);
    expect(comments.some((c) => c.body.includes('`debug/console`'))).toBe(false);
    const aws = comments.find((c) => c.body.includes('secrets/aws-access-key'));
    expect(aws?.body).toMatch(/^🟡 \*\*low\*\*/);
    expect(comments.some((c) => c.body.includes('conflict/marker'))).toBe(true);
    expect(posted!.body).toContain('`test/client.spec.ts`: ignored by paths.ignore');
  });

  it('runs a custom rule on its paths only', async () => {
    setFile(
      [
        'custom_rules:',
        '  - id: team/no-moment',
        `    pattern: "from ['\\"]moment['\\"]"`,
        '    message: Use date-fns instead of moment',
        '    severity: low',
        '    paths: ["src/**/*.ts"]',
      ].join('\n'),
    );
    const { review: posted } = await review([
      ts('src/date.ts', "import moment from 'moment';"),
      ts('scripts/date.ts', "import moment from 'moment';"),
    ]);
    const hits = posted!.comments.filter((c) => c.body.includes('team/no-moment'));
    expect(hits).toEqual([expect.objectContaining({ path: 'src/date.ts', line: 1 })]);
    expect(hits[0].body).toContain('Use date-fns instead of moment');
  });

  it('skips drafts, skip_authors, skip_labels and a disabled repository, and reviews a draft when asked to', async () => {
    setFile('review:\n  skip_authors: ["dependabot[bot]"]\n  skip_labels: ["no-review"]\n');
    const skips: Array<[Parameters<typeof review>[1], string]> = [
      [{ draft: true }, 'Not reviewed: draft pull request (review.drafts is false)'],
      [{ user: 'dependabot[bot]' }, 'Not reviewed: author dependabot[bot] is in review.skip_authors'],
      [{ labels: ['wip', 'No-Review'] }, 'Not reviewed: label "No-Review" is in review.skip_labels'],
    ];
    for (const [pull, note] of skips) {
      const { event, reviews, sha } = await review(riskyFiles(), pull);
      expect(event).toMatchObject({ status: 'completed', review_url: null, note });
      expect(reviews).toEqual([]);
      // A verdict all the same, so a required `nectr` status does not block the merge for ever.
      expect(t.github.repo(REPO).statuses.get(sha)).toEqual([
        expect.objectContaining({ context: 'nectr', state: 'success', description: note }),
      ]);
    }
    setFile('review:\n  drafts: true\n');
    expect((await review(riskyFiles(), { draft: true })).reviews).toHaveLength(1);
    setFile('enabled: false\n');
    const disabled = await review(riskyFiles());
    expect(disabled.event).toMatchObject({
      status: 'completed',
      review_url: null,
      note: 'Not reviewed: enabled is false in .nectr.yml',
    });
    expect(disabled.reviews).toEqual([]);
  });

  it('leaves the verdict of a reviewed head alone when a later event of that head is skipped', async () => {
    setFile('review:\n  skip_labels: ["no-review"]\n');
    const { number, sha } = await review(riskyFiles());
    expect(t.github.repo(REPO).statuses.get(sha)?.at(-1)).toMatchObject({ state: 'failure' });
    // Labelled, closed and reopened at the same head: skipped, and the failure stands.
    const payload = pullRequestPayload({ number, sha, action: 'reopened' });
    payload.pull_request.labels = [{ name: 'no-review' }];
    const res = await deliver(t, { event: 'pull_request', payload, ...hook }).expect(200);
    expect(await settled(t, res.body.event_id)).toMatchObject({
      status: 'completed',
      note: expect.stringMatching(/^Not reviewed: label/),
    });
    expect(
      t.github
        .repo(REPO)
        .statuses.get(sha)
        ?.map((s) => s.state),
    ).toEqual(['pending', 'failure']);
  });

  it('sets the nectr status by the overridden severities and status.fail_on', async () => {
    const status = (sha: string) => t.github.repo(REPO).statuses.get(sha)?.at(-1);
    setFile('');
    expect(status((await review(riskyFiles())).sha)).toMatchObject({ context: 'nectr', state: 'failure' });
    setFile(
      'rules:\n  secrets/aws-access-key: low\n  security/tls-verification-disabled: low\n  conflict/marker: info\n',
    );
    expect(status((await review(riskyFiles())).sha)).toMatchObject({ state: 'success' });
    setFile('status:\n  fail_on: never\n');
    expect(status((await review(riskyFiles())).sha)).toMatchObject({ state: 'success' });
    setFile('rules:\n  debug/console-log: critical\nstatus:\n  fail_on: critical\n');
    const consoleOnly = await review([ts('src/a.ts', 'console.log(1);')]);
    expect(status(consoleOnly.sha)).toMatchObject({ state: 'failure', description: '1 open finding (1 critical)' });
    expect(consoleOnly.review!.comments[0].body).toMatch(/^🛑 \*\*critical\*\* `debug\/console`/);
  });

  it('applies a rules: change to findings already posted: off no longer counts, a new grade does', async () => {
    setFile(undefined);
    const key = ts('src/keys.ts', 'const key = "AKIAQYLPMN5HFIQR7XYA";');
    const { number, sha } = await review([key]);
    const status = (head: string) => t.github.statusesOf(REPO, head).at(-1);
    expect(status(sha)).toMatchObject({ state: 'failure', description: '1 open finding (1 critical)' });

    setFile('rules:\n  secrets/aws-access-key: off\n');
    const off = await push(number, { files: [key], range: [], status: 'identical' });
    expect(off).toMatchObject({ status: 'completed', review_url: null });
    expect(status(off.head_sha)).toMatchObject({
      state: 'success',
      description: `No new findings since ${sha.slice(0, 7)}; none open`,
    });
    // Not fixed either: the line is still there, its thread stays as it is.
    expect(t.github.threadsOf(REPO, number).map((thread) => thread.isResolved)).toEqual([false]);

    setFile('rules:\n  secrets/aws-access-key: low\n');
    const low = await push(number, { files: [key], range: [], status: 'identical' });
    expect(status(low.head_sha)).toMatchObject({
      state: 'success',
      description: expect.stringMatching(/; 1 open finding$/),
    });
  });

  it('applies a custom_rules change to findings already posted: a new severity counts, a removed rule no longer', async () => {
    const rule = (severity: string) =>
      `custom_rules:\n  - id: team/no-moment\n    pattern: "moment"\n    message: Use date-fns\n    severity: ${severity}\n`;
    setFile(rule('high'));
    const file = ts('src/date.ts', "import moment from 'moment';");
    const { number, sha } = await review([file]);
    const status = (head: string) => t.github.statusesOf(REPO, head).at(-1);
    expect(status(sha)).toMatchObject({ state: 'failure', description: '1 open finding (1 high)' });

    setFile(rule('low'));
    const low = await push(number, { files: [file], range: [], status: 'identical' });
    expect(status(low.head_sha)).toMatchObject({
      state: 'success',
      description: expect.stringMatching(/; 1 open finding$/),
    });

    setFile(undefined);
    const removed = await push(number, { files: [file], range: [], status: 'identical' });
    expect(removed).toMatchObject({ status: 'completed', review_url: null });
    expect(status(removed.head_sha)).toMatchObject({
      state: 'success',
      description: expect.stringMatching(/; none open$/),
    });
  });

  it('gives a PR past max_files a summary review only, also when a push changes fewer files', async () => {
    setFile('review:\n  max_files: 2\n');
    const { number, review: posted } = await review(riskyFiles());
    expect(posted!.comments).toEqual([]);
    expect(posted!.body).toContain('changes 3 files, more than review.max_files (2)');

    // One more file pushed: the range is 1 file, the PR 4; max_files counts the PR.
    const pushed = ts('src/debug.ts', 'console.log(process.env);');
    const event = await push(number, { files: [...riskyFiles(), pushed], range: [pushed] });
    expect(event).toMatchObject({ status: 'completed', review_url: null });
    expect(t.github.reviewsOf(REPO, number)).toHaveLength(1);
  });

  it('reviews the whole PR on the push that brings it under max_files, and finds what the summary left', async () => {
    setFile('review:\n  max_files: 2\n');
    const { number, review: summary } = await review(riskyFiles());
    expect(summary!.comments).toEqual([]);

    // The push removes package-lock.json: its range holds no finding, the two files left hold several.
    const [client, spec, lock] = riskyFiles();
    const before = compares();
    const event = await push(number, {
      files: [client, spec],
      range: [{ ...lock, status: 'removed', patch: undefined }],
    });
    expect(event.status).toBe('completed');
    expect(compares()).toBe(before); // reviewed whole, not the pushed range
    const whole = t.github.reviewsOf(REPO, number).at(-1)!;
    expect(whole.body).toMatch(/the whole pull request at `\w{7}`: the review of \w{7} was a summary only\./);
    const found = whole.comments;
    expect(found.some((c) => c.path === 'src/client.ts' && c.body.includes('secrets/aws-access-key'))).toBe(true);
    expect(found.some((c) => c.path === 'test/client.spec.ts')).toBe(true);
  });

  it('finds on the next push what .nectr.yml stopped hiding, and reviews only pushed ranges again after that', async () => {
    setFile('paths:\n  ignore: ["docs/**"]\nrules:\n  debug/console-log: off\n');
    const docs = ts('docs/example.ts', 'console.log(1)');
    const { number, review: first } = await review([...riskyFiles(), docs]);
    expect(first!.comments.some((c) => c.path.startsWith('docs/') || c.body.includes('`debug/console`'))).toBe(false);

    // The team un-ignores docs/ and turns the rule back on; the next push changes nothing they hid.
    setFile('rules:\n  debug/console-log: medium\n');
    const extra = ts('src/extra.ts', 'export const x = 1;');
    const before = compares();
    await push(number, { files: [...riskyFiles(), docs, extra], range: [extra] });
    expect(compares()).toBe(before);
    const whole = t.github.reviewsOf(REPO, number).at(-1)!;
    expect(whole.body).toMatch(
      /the whole pull request at `\w{7}`: \.nectr\.yml changed what is reviewed since \w{7}\./,
    );
    const said = whole.comments;
    expect(said.some((c) => c.path === 'docs/example.ts' && c.body.includes('`debug/console`'))).toBe(true);
    expect(said.some((c) => c.path === 'src/client.ts' && c.body.includes('`debug/console`'))).toBe(true);
    expect(said.some((c) => c.body.includes('secrets/aws-access-key'))).toBe(false); // said in the first review

    // The same file again: the next push is reviewed as its range.
    const more = ts('src/more.ts', 'console.log(2)');
    const event = await push(number, { files: [...riskyFiles(), docs, extra, more], range: [more] });
    expect(compares()).toBe(before + 1);
    expect(event.status).toBe('completed');
    expect(
      t.github
        .reviewsOf(REPO, number)
        .at(-1)!
        .comments.map((c) => c.path),
    ).toEqual(['src/more.ts']);
  });

  it('reviews as its range the push after a review recorded before reviewed_scope existed (an upgrade)', async () => {
    setFile('paths:\n  ignore: ["docs/**"]\n');
    const docs = ts('docs/example.ts', 'console.log(1)');
    const { number, event: first } = await review([...riskyFiles(), docs]);
    await t.db.query('UPDATE events SET reviewed_scope = NULL WHERE id = $1', [first.id]);

    setFile(undefined);
    const before = compares();
    const extra = ts('src/extra.ts', 'export const x = 1;');
    const event = await push(number, { files: [...riskyFiles(), docs, extra], range: [extra] });
    expect(compares()).toBe(before + 1);
    expect(event).toMatchObject({ status: 'completed', review_url: null });
  });

  it('leaves the threads of a file paths.ignore starts ignoring as they are: not fixed, not open', async () => {
    setFile(undefined);
    const { number, sha: first } = await review(riskyFiles());
    const threadsIn = (prefix: string) =>
      t.github.threadsOf(REPO, number).filter((thread) => String(thread.comment.path).startsWith(prefix));
    expect(threadsIn('test/').length).toBeGreaterThan(0);

    setFile('paths:\n  ignore: ["test/**"]\n');
    const event = await push(number, { files: riskyFiles(), range: [], status: 'identical' });
    expect(event).toMatchObject({ status: 'completed', note: `No new findings since ${first.slice(0, 7)}` });
    expect(threadsIn('test/').every((thread) => !thread.isResolved)).toBe(true);
  });

  it('says which rules: entries name no rule, and applies the rest of the file', async () => {
    setFile('rules:\n  secrets/aws-acess-key: off\n  comments/todo: off\n');
    const { review: posted } = await review(riskyFiles());
    expect(posted!.body).toContain(
      '`.nectr.yml` sets `rules.secrets/aws-acess-key`, but Nectr has no such rule, so it changes nothing',
    );
    expect(posted!.body).not.toContain('rules.comments/todo');
    expect(posted!.comments.some((c) => c.body.includes('secrets/aws-access-key'))).toBe(true);
  });

  it('reviews with the defaults under a broken file, whose problem opens the review body', async () => {
    setFile(
      'review:\n  max_files: lots\nreveiw: {}\ncustom_rules:\n  - id: a/b\n    pattern: "(?<=x)"\n    message: m\n',
    );
    const { event, review: posted } = await review(riskyFiles());
    expect(event.status).toBe('completed');
    const [first] = posted!.body.split('\n');
    expect(first).toMatch(/^⚠️ `.nectr.yml` was not applied, the defaults were used instead: /);
    expect(first).toContain('`review.max_files` (line 2, column 14)');
    expect(first).toContain('`reveiw` (line 3, column 1): unknown key');
    expect(first).toContain('`custom_rules.0.pattern` (line 6, column 14): not a valid regular expression');
    expect(posted!.comments.some((c) => c.body.includes('`debug/console`'))).toBe(true);

    setFile('rules: [unclosed\n');
    const yaml = await review(riskyFiles());
    expect(yaml.review!.body.split('\n')[0]).toMatch(/not valid YAML/);

    // A "billion laughs": yaml refuses to expand it, and that is a problem with the file too.
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [i, name] of [...'bcdefghij'].entries())
      laughs.push(`${name}: &${name} [${Array(9).fill(`*${'abcdefghij'[i]}`).join(', ')}]`);
    setFile(`${laughs.join('\n')}\n`);
    const bomb = await review(riskyFiles());
    expect(bomb.event.status).toBe('completed');
    expect(bomb.review!.body.split('\n')[0]).toMatch(/not usable YAML: Excessive alias count/);
  });

  it('re-reads an unchanged file with If-None-Match and gets a 304', async () => {
    setFile('rules:\n  debug/console-log: off\n');
    await review(riskyFiles());
    const before = t.github.requests.length;
    const { review: posted } = await review(riskyFiles());
    const read = t.github.requests.slice(before).filter((r) => r.path.endsWith('/contents/.nectr.yml'));
    expect(read).toHaveLength(1);
    // The fake answers 304 exactly when If-None-Match is the file's current ETag.
    expect(read[0].headers['if-none-match']).toBe(etagOf('rules:\n  debug/console-log: off\n'));
    // Still applied from the cache.
    expect(posted!.comments.some((c) => c.body.includes('`debug/console`'))).toBe(false);
  });

  it('shows the effective configuration, where each value came from, and the file’s error', async () => {
    setFile('paths:\n  ignore: ["docs/**"]\nrules:\n  debug/console-log: off\n');
    const ok = await t.http.get(`/api/v1/repos/${REPO}/config`).set(t.auth).expect(200);
    expect(ok.body).toMatchObject({
      repo: REPO,
      file: '.nectr.yml',
      present: true,
      error: null,
      problems: [],
      config: {
        enabled: true,
        review: { drafts: false, max_files: 40 },
        paths: { ignore: ['docs/**'] },
        rules: { 'debug/console-log': 'off', 'todo/comment': 'low' },
        status: { fail_on: 'high' },
      },
      sources: {
        enabled: 'default',
        'review.max_files': 'operator',
        'paths.ignore': 'repository',
        'rules.debug/console-log': 'repository',
        'rules.todo/comment': 'operator',
      },
    });

    setFile('status:\n  fail_on: sometimes\n');
    const broken = await t.http.get(`/api/v1/repos/${REPO}/config`).set(t.auth).expect(200);
    expect(broken.body.error).toContain('`status.fail_on` (line 2, column 12)');
    expect(broken.body.problems).toEqual([{ key: 'status.fail_on', line: 2, column: 12, message: expect.any(String) }]);
    expect(broken.body.config.status.fail_on).toBe('high');
    expect(broken.body.sources['status.fail_on']).toBe('default');

    await t.http.get('/api/v1/repos/octo/not-installed/config').set(t.auth).expect(404);
    await t.http.get(`/api/v1/repos/${REPO}/config`).expect(401);
    await t.http.get('/api/v1/repos/-bad-/x/config').set(t.auth).expect(400);
  });
});

describe('.nectr.yml with a model engine', () => {
  let model: FakeModelServer;
  let t: TestApp;
  let hook: { hookId: number; secret: string };
  const review = reviewer(
    () => t,
    () => hook,
  );

  beforeAll(async () => {
    model = await new FakeModelServer().start();
    t = await createTestApp({
      env: {
        REVIEW_ENGINE: 'openai',
        OPENAI_BASE_URL: model.openaiBaseUrl,
        OPENAI_API_KEY: 'sk-test',
        REVIEW_MODEL: 'm',
      },
    });
    hook = await installRepo(t, REPO, EXAMPLE_REPO.id);
  });
  afterAll(async () => {
    await t?.close();
    await model?.stop();
  });

  it('sends no ignored file and the instructions to the model, and runs custom rules beside it', async () => {
    t.github
      .repo(REPO)
      .files!.set(
        '.nectr.yml',
        [
          'paths:',
          '  ignore: ["secret/**"]',
          'instructions: We use Result types rather than exceptions.',
          'custom_rules:',
          '  - id: team/no-throw',
          '    pattern: "\\\\bthrow\\\\b"',
          '    message: Return a Result instead',
        ].join('\n'),
      );
    const before = model.requests.length;
    const { event, review: posted } = await review([
      ts('src/a.ts', 'throw new Error("x");'),
      ts('secret/keys.ts', 'const key = "do-not-send-me";'),
    ]);
    expect(event.status).toBe('completed');
    const sent = JSON.stringify(model.requests.slice(before).map((r) => r.body));
    expect(sent).toContain('src/a.ts');
    expect(sent).toContain('We use Result types rather than exceptions.');
    expect(sent).not.toContain('secret/keys.ts');
    expect(sent).not.toContain('do-not-send-me');
    expect(posted!.comments).toEqual([
      expect.objectContaining({ path: 'src/a.ts', line: 1, body: expect.stringContaining('team/no-throw') }),
    ]);
  });
});
