import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { reviewBackoff } from '../../../queue/review-backoff.js';
import { FakeModelServer, type RecordedModelRequest } from '../../../../test/support/fake-models.js';
import { PermanentEngineError, type ReviewFile, type ReviewInput } from '../review-engine.js';
import { AnthropicEngine } from './anthropic.engine.js';
import { UnreadableAnswerError, type ModelEngineOptions, type ModelReviewEngine } from './model-review.js';
import { OpenAIEngine } from './openai.engine.js';

const server = new FakeModelServer();
beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => server.reset());

const APP_PATCH = [
  '@@ -1,3 +1,4 @@',
  ' import a from "a";',
  '-const old = 1;',
  '+const fresh = 2;',
  '+debugger;',
  ' export {};',
].join('\n');
const added = (n: number, tag: string): string =>
  [`@@ -0,0 +1,${n} @@`, ...Array.from({ length: n }, (_, i) => `+export const ${tag}${i} = ${i};`)].join('\n');
const file = (filename: string, patch?: string): ReviewFile => ({
  filename,
  status: 'modified',
  additions: 1,
  deletions: 0,
  patch,
});
const pr = (files: ReviewFile[]): ReviewInput => ({
  repo: 'acme/shop',
  number: 7,
  title: 'Add fresh constant',
  body: 'Replaces the old constant.',
  headSha: 'a'.repeat(40),
  files,
});
const answer = (findings: unknown[], summary = 'One problem.') => ({ summary, findings });

const engines = [
  {
    name: 'anthropic',
    make: (o: ModelEngineOptions) =>
      new AnthropicEngine({ apiKey: 'sk-ant-test', baseUrl: server.anthropicBaseUrl, maxRetries: 0, ...o }),
    path: '/v1/messages',
    // SDK 1.x sends the API key as a bearer token (0.x used x-api-key).
    auth: (r: RecordedModelRequest) => expect(r.headers.authorization).toBe('Bearer sk-ant-test'),
  },
  {
    name: 'openai',
    make: (o: ModelEngineOptions) =>
      new OpenAIEngine({ apiKey: 'sk-openai-test', baseUrl: server.openaiBaseUrl, maxRetries: 0, ...o }),
    path: '/v1/chat/completions',
    auth: (r: RecordedModelRequest) => expect(r.headers.authorization).toBe('Bearer sk-openai-test'),
  },
];

const userTurns = (r: RecordedModelRequest): string[] =>
  (r.body?.messages ?? [])
    .filter((m: { role: string }) => m.role === 'user')
    .map((m: { content: string }) => m.content);

describe.each(engines)('$name engine', ({ name, make, path, auth }) => {
  it('keeps findings on added lines and drops the rest', async () => {
    server.replyJson(
      answer([
        { path: 'src/app.ts', line: 3, severity: 'high', message: 'Leftover debugger statement.' },
        { path: 'src/app.ts', line: 40, severity: 'low', message: 'Not in the diff.' },
        // A context line: shown, but not added, so never open by REVIEW.md's rule; it is left out.
        { path: 'src/app.ts', line: 1, severity: 'high', message: 'Unchanged import.' },
        { path: 'src/elsewhere.ts', line: 1, severity: 'low', message: 'Not in the PR.' },
      ]),
    );
    const result = await make({}).review(
      pr([file('src/app.ts', APP_PATCH), file('package-lock.json', added(3, 'x')), file('logo.png')]),
    );

    expect(result.findings).toEqual([
      {
        ruleId: `model/${name}`,
        severity: 'high',
        path: 'src/app.ts',
        line: 3,
        message: 'Leftover debugger statement.',
      },
    ]);
    expect(result.summary).toContain('One problem.');
    expect(result.summary).toContain('3 finding(s) the model placed outside the added lines were left out');
    expect(result.skipped.map((s) => s.path)).toEqual(['package-lock.json', 'logo.png']);

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.path).toBe(path);
    auth(request);
    const prompt = userTurns(request)[0];
    expect(prompt).toContain('Add fresh constant');
    expect(prompt).toContain('Replaces the old constant.');
    expect(prompt).toContain('### src/app.ts');
    expect(prompt).toMatch(/^\s+3 \+debugger;$/m);
    expect(prompt).not.toContain('package-lock.json');
  });

  it('asks once more when the answer is not valid, and keeps the second answer', async () => {
    server.reply('Sure, here is my review: everything is great!');
    server.replyJson(answer([{ path: 'src/app.ts', line: 2, severity: 'medium', message: 'Why 2?' }]));
    const result = await make({}).review(pr([file('src/app.ts', APP_PATCH)]));

    expect(result.findings).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
    const retry = server.requests[1].body?.messages ?? [];
    expect(
      retry.some(
        (m: { role: string; content: string }) => m.role === 'assistant' && m.content.includes('everything is great'),
      ),
    ).toBe(true);
    expect(userTurns(server.requests[1])[1]).toContain('contains no JSON object');
  });

  it('reviews the halves of a chunk whose answer was cut off at the length limit, so no finding is lost', async () => {
    const cut = '{"summary": "Many problems.", "findings": [{"path": "a.ts", "line": 1, "severity": "low", "mes';
    server.replyTruncated(cut);
    server.replyJson(answer([{ path: 'a.ts', line: 1, severity: 'low', message: 'First.' }], 'Half one.'));
    server.replyJson(answer([{ path: 'b.ts', line: 2, severity: 'high', message: 'Second.' }], 'Half two.'));
    const result = await make({}).review(pr([file('a.ts', added(3, 'a')), file('b.ts', added(3, 'b'))]));

    expect(server.requests).toHaveLength(3);
    expect(userTurns(server.requests[0])[0]).toMatch(/### a\.ts[\s\S]*### b\.ts/);
    expect(userTurns(server.requests[1])).toHaveLength(1);
    expect(userTurns(server.requests[1])[0]).toContain('### a.ts');
    expect(userTurns(server.requests[1])[0]).not.toContain('### b.ts');
    expect(userTurns(server.requests[2])[0]).toContain('### b.ts');
    expect(userTurns(server.requests[2])[0]).not.toContain('### a.ts');
    expect(result.findings.map((f) => [f.path, f.line])).toEqual([
      ['a.ts', 1],
      ['b.ts', 2],
    ]);
    expect(result.summary).toBe('Half one.\n\nHalf two.');
  });

  it('halves a half again when its answer is cut off too, down to one file a call', async () => {
    const cut = '{"summary": "Many problems.", "findings": [{"path": "a.ts", "li';
    server.replyTruncated(cut).replyTruncated(cut);
    server.replyJson(answer([{ path: 'a.ts', line: 1, severity: 'low', message: 'A.' }], 'A.'));
    server.replyJson(answer([{ path: 'b.ts', line: 1, severity: 'low', message: 'B.' }], 'B.'));
    server.replyJson(answer([{ path: 'c.ts', line: 1, severity: 'low', message: 'C.' }], 'C.'));
    const files = ['a.ts', 'b.ts', 'c.ts'].map((name) => file(name, added(3, name[0])));
    const result = await make({}).review(pr(files));

    expect(server.requests).toHaveLength(5);
    expect(result.findings.map((f) => f.path)).toEqual(['a.ts', 'b.ts', 'c.ts']);
    expect(result.summary).toBe('A.\n\nB.\n\nC.');
  });

  it("reviews the halves of a chunk the model's context window refuses, and lists a file it cannot take", async () => {
    // A model with a smaller window than the patch budget assumes (a local server's 8k model, say).
    server.contextWindowTokens = 1100;
    server.replyJson(answer([{ path: 'a.ts', line: 1, severity: 'low', message: 'A.' }], 'A.'));
    server.replyJson(answer([{ path: 'b.ts', line: 2, severity: 'low', message: 'B.' }], 'B.'));
    const files = [file('a.ts', added(60, 'a')), file('b.ts', added(60, 'b')), file('c.ts', added(200, 'c'))];
    const result = await make({}).review(pr(files));

    expect(server.requests).toHaveLength(5);
    expect(result.findings.map((f) => [f.path, f.line])).toEqual([
      ['a.ts', 1],
      ['b.ts', 2],
    ]);
    expect(result.summary).toBe('A.\n\nB.');
    expect(result.skipped).toEqual([
      { path: 'c.ts', reason: expect.stringMatching(/^too large for the model's context window \(.+\)$/) },
    ]);
  });

  it("asks for a shorter answer when one file's answer was cut off, not the same answer again", async () => {
    server.replyTruncated('{"summary": "Many problems.", "findings": [{"path": "src/app.ts", "li');
    server.replyJson(answer([{ path: 'src/app.ts', line: 3, severity: 'high', message: 'Debugger left in.' }]));
    const result = await make({}).review(pr([file('src/app.ts', APP_PATCH)]));

    expect(server.requests).toHaveLength(2);
    const second = userTurns(server.requests[1]);
    expect(second[1]).toContain('cut off at the length limit');
    expect(second[1]).toContain('at most 15');
    expect(result.findings.map((f) => f.line)).toEqual([3]);
  });

  it('fails the review when the answer cannot be read twice: its files were not reviewed', async () => {
    server.reply('```json\n{"summary": "x", "findings": [{"path": "src/app.ts"}]}\n```', 'still not JSON');
    const review = make({}).review(pr([file('src/app.ts', APP_PATCH)]));

    await expect(review).rejects.toThrow(UnreadableAnswerError);
    await expect(review).rejects.toThrow(
      "The model's answer could not be read twice (the answer contains no JSON object); files: src/app.ts",
    );
    expect(server.requests).toHaveLength(2);
    expect(userTurns(server.requests[1])[1]).toContain('findings[0].line must be a positive integer');
  });

  it('fails at once, naming the refusal, when the provider stops the answer for safety', async () => {
    server.replyRefused().replyRefused();
    const error = await make({})
      .review(pr([file('src/app.ts', APP_PATCH)]))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentEngineError);
    expect((error as Error).message).toBe(
      `The model declined to review src/app.ts (${name === 'anthropic' ? 'stop_reason refusal' : 'finish_reason content_filter'})`,
    );
    // Asking again for JSON would be refused again: one call, and no job retries.
    expect(server.requests).toHaveLength(1);
  });

  it('splits a big pull request into several calls and skips a file too large for one', async () => {
    server.replyJson(answer([{ path: 'a.ts', line: 1, severity: 'info', message: 'A.' }], 'First half.'));
    server.replyJson(answer([{ path: 'b.ts', line: 2, severity: 'info', message: 'B.' }], 'Second half.'));
    const files = [file('a.ts', added(12, 'a')), file('huge.ts', added(200, 'h')), file('b.ts', added(12, 'b'))];
    const result = await make({ budgetTokens: 150 }).review(pr(files));

    expect(server.requests).toHaveLength(2);
    expect(userTurns(server.requests[0])[0]).toContain('### a.ts');
    expect(userTurns(server.requests[0])[0]).not.toContain('### b.ts');
    expect(userTurns(server.requests[1])[0]).toContain('part 2 of 2');
    expect(result.findings.map((f) => f.path)).toEqual(['a.ts', 'b.ts']);
    expect(result.summary).toMatch(/Part 1\/2.*First half[\s\S]*Part 2\/2.*Second half/);
    expect(result.skipped).toEqual([{ path: 'huge.ts', reason: expect.stringContaining('too large') }]);
  });

  it('rejects on a server error after the SDK retried', async () => {
    server.fail(500, 2);
    await expect(make({ maxRetries: 1 }).review(pr([file('src/app.ts', APP_PATCH)]))).rejects.toMatchObject({
      status: 500,
    });
    expect(server.requests).toHaveLength(2);
  });

  it('fails at once on a rate limit that asks for a wait longer than a minute, instead of sleeping through it', async () => {
    // A daily quota: the SDKs would hold the worker's review slot (and its shutdown) for the hour.
    server.fail(429, 1, 'Rate limit reached for requests per day', { 'retry-after': '3600' });
    const started = Date.now();
    const error = await make({ maxRetries: 2 })
      .review(pr([file('src/app.ts', APP_PATCH)]))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.requests).toHaveLength(1);
    // The job comes back when the quota lifts, not after Bull's seconds of backoff.
    expect(reviewBackoff(1, error, { delayMs: 5000 }, () => 0)).toBe(3_600_000);
  });

  it('still waits out a short retry-after in place', async () => {
    server.fail(429, 1, 'Slow down', { 'retry-after': '1' });
    const result = await make({ maxRetries: 1 }).review(pr([file('src/app.ts', APP_PATCH)]));
    expect(result.summary).toBe('Looks fine.');
    expect(server.requests).toHaveLength(2);
  });

  it('rejects on a bad key without retrying, as a failure no attempt changes', async () => {
    server.failWith(401, { message: 'Invalid API key.' });
    const error = await make({ maxRetries: 1 })
      .review(pr([file('src/app.ts', APP_PATCH)]))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentEngineError);
    expect((error as Error).message).toBe(
      `The ${name} model API answered 401 (authentication_error): Invalid API key.`,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry a 429 that says the account has no credit left, which no wait lifts', async () => {
    server.failWith(
      429,
      { message: 'You exceeded your current quota.', type: 'insufficient_quota', code: 'insufficient_quota' },
      {},
    );
    const error = await make({ maxRetries: 2 })
      .review(pr([file('src/app.ts', APP_PATCH)]))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentEngineError);
    expect((error as Error).message).toContain('429 (insufficient_quota): You exceeded your current quota.');
    expect(server.requests).toHaveLength(1);
  });
});

describe('engine construction', () => {
  it('lets the openai engine talk to a keyless compatible server', async () => {
    const engine: ModelReviewEngine = new OpenAIEngine({
      baseUrl: server.openaiBaseUrl,
      model: 'llama3.1',
      maxRetries: 0,
    });
    await engine.review(pr([file('src/app.ts', APP_PATCH)]));
    expect(server.requests[0].body?.model).toBe('llama3.1');
    expect(server.requests[0].body?.response_format).toBeUndefined();
  });

  it('says the base URL is wrong when a server answers 200 with a web page, not a TypeError', async () => {
    const page = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Sign in</html>');
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
    try {
      const input = pr([file('src/app.ts', APP_PATCH)]);
      const openai = new OpenAIEngine({ baseUrl: `${url}/v1`, maxRetries: 0 });
      const anthropic = new AnthropicEngine({ apiKey: 'k', baseUrl: url, maxRetries: 0 });
      for (const engine of [openai, anthropic])
        await expect(engine.review(input)).rejects.toThrow(
          /^The model server answered 200 without .*check the base URL$/,
        );
    } finally {
      page.closeAllConnections();
      await new Promise((resolve) => page.close(resolve));
    }
  });

  it('says the model API could not be reached or broke off, not a bare "terminated" or "Connection error."', async () => {
    // An answer whose connection resets mid-body (a proxy, a restart): the SDKs do not retry it.
    const resetting = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
        res.write('{"id": "x", "choices": [{"mess');
        setTimeout(() => res.socket?.destroy(), 20);
      });
    });
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(resetting.address() as AddressInfo).port}`;
    const input = pr([file('src/app.ts', APP_PATCH)]);
    try {
      const broken = [
        new OpenAIEngine({ baseUrl: `${url}/v1`, maxRetries: 0 }),
        new AnthropicEngine({ apiKey: 'k', baseUrl: url, maxRetries: 0 }),
      ];
      for (const engine of broken)
        await expect(engine.review(input)).rejects.toThrow(
          new RegExp(`^The ${engine.name} model API could not be reached or broke off: terminated`),
        );
    } finally {
      resetting.closeAllConnections();
      await new Promise((resolve) => resetting.close(resolve));
    }
    // Nothing listens there any more: refused, after the SDK's retries.
    const refused = new OpenAIEngine({ baseUrl: `${url}/v1`, maxRetries: 0 });
    await expect(refused.review(input)).rejects.toThrow(
      /^The openai model API could not be reached or broke off: Connection error\. \(.*ECONNREFUSED/,
    );
  });

  it('refuses to build an engine without credentials', () => {
    expect(() => new AnthropicEngine({ baseUrl: server.anthropicBaseUrl })).toThrow(/ANTHROPIC_API_KEY/);
    expect(() => new OpenAIEngine({})).toThrow(/OPENAI_API_KEY/);
  });
});
