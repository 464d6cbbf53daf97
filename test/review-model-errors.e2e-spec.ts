// A model provider's errors as the real APIs send them (OpenAI's `code`, Anthropic's `type`), end
// to end: which fail the event at once with a clear error, and which are worth another attempt.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { deliver, EXAMPLE_REPO, installRepo, pullRequestPayload, settledEvent } from './support/deliveries.js';
import { FakeModelServer } from './support/fake-models.js';
import { riskyFiles } from './support/pulls.js';
import { createTestApp, waitFor, type TestApp } from './support/test-app.js';

const KEYS = { openai: 'sk-test-openai-secret-key', anthropic: 'sk-ant-test-secret-key' };

describe.each(['openai', 'anthropic'] as const)('REVIEW_ENGINE=%s, provider errors', (engine) => {
  let model: FakeModelServer;
  let t: TestApp;
  let hook: Awaited<ReturnType<typeof installRepo>>;
  let nextPr = 20;

  beforeAll(async () => {
    model = await new FakeModelServer().start();
    const env =
      engine === 'openai'
        ? { REVIEW_ENGINE: 'openai', OPENAI_BASE_URL: model.openaiBaseUrl, OPENAI_API_KEY: KEYS.openai }
        : { REVIEW_ENGINE: 'anthropic', ANTHROPIC_BASE_URL: model.anthropicBaseUrl, ANTHROPIC_API_KEY: KEYS.anthropic };
    t = await createTestApp({ env: { ...env, REVIEW_MODEL: 'test-model', REVIEW_BACKOFF_MS: '100' } });
    hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
  });
  beforeEach(() => model.reset());
  afterAll(async () => {
    await t?.close();
    await model?.stop();
  });

  /** Opens a PR whose review meets the queued model answers; resolves with its settled event. */
  async function review() {
    const number = nextPr++;
    const sha = number.toString(16).padStart(40, '0');
    t.github.addPull(EXAMPLE_REPO.fullName, { number, head: { sha, ref: `b${number}` }, files: riskyFiles() });
    const res = await deliver(t, { event: 'pull_request', payload: pullRequestPayload({ number, sha }), ...hook });
    const event = await settledEvent(t, res.body.event_id);
    return { event, sha, number };
  }

  it('fails at once on a refused key, with the provider’s message and never the key', async () => {
    // Some OpenAI-compatible servers echo the key they refused.
    model.failWith(401, { message: `Incorrect API key provided: ${KEYS[engine]}.`, code: 'invalid_api_key' });
    model.reply(JSON.stringify({ summary: 'Not reached.', findings: [] }));
    const { event, sha } = await review();
    expect(event).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringContaining('401') });
    expect(event.error).toContain('Incorrect API key provided');
    expect(event.error).not.toContain(KEYS[engine]);
    expect(model.requests).toHaveLength(1);
    // The failure is reported right after the event is failed.
    await waitFor(() => t.github.statusesOf(EXAMPLE_REPO.fullName, sha).at(-1)?.state === 'error');
  });

  it('fails at once on a model the provider does not know', async () => {
    model.failWith(404, {
      message: 'The model `test-model` does not exist or you do not have access to it.',
      code: 'model_not_found',
    });
    model.reply(JSON.stringify({ summary: 'Not reached.', findings: [] }));
    const { event } = await review();
    expect(event).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringContaining('test-model') });
    expect(model.requests).toHaveLength(1);
  });

  it('fails at once when the account has no credit left, rather than retry it for minutes', async () => {
    // OpenAI says so with a 429 (no retry-after: waiting does not help), Anthropic with a 400.
    if (engine === 'openai')
      model.failWith(
        429,
        {
          message: 'You exceeded your current quota, please check your plan and billing details.',
          type: 'insufficient_quota',
          code: 'insufficient_quota',
        },
        {},
      );
    else model.failWith(400, { message: 'Your credit balance is too low to access the Anthropic API.' });
    model.reply(JSON.stringify({ summary: 'Not reached.', findings: [] }));
    const { event } = await review();
    expect(event).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: expect.stringMatching(/quota|credit balance/),
    });
    expect(model.requests).toHaveLength(1);
  });
});
