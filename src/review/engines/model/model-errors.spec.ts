import { describe, expect, it } from '@jest/globals';
import { PermanentEngineError } from '../review-engine.js';
import { ContextOverflowError, engineError, providerError } from './model-errors.js';

// The SDKs' APIError: `status`, and `error` (OpenAI's SDK: the body's `error`; Anthropic's: the whole body).
const apiError = (status: number, error: unknown, message = `${status} status code (no body)`) =>
  Object.assign(new Error(message), { status, error });

describe('reading a model API error', () => {
  it('reads OpenAI, Anthropic and Ollama error bodies, else the SDK message', () => {
    expect(
      providerError(
        apiError(404, { message: 'no such model', type: 'invalid_request_error', code: 'model_not_found' }),
      ),
    ).toEqual({ status: 404, type: 'invalid_request_error', code: 'model_not_found', message: 'no such model' });
    expect(
      providerError(apiError(401, { type: 'error', error: { type: 'authentication_error', message: 'bad key' } })),
    ).toEqual({ status: 401, type: 'authentication_error', code: undefined, message: 'bad key' });
    expect(providerError(apiError(404, 'model "llama9" not found, try pulling it first'))?.message).toBe(
      'model "llama9" not found, try pulling it first',
    );
    expect(providerError(apiError(400, undefined))?.message).toBe('400 status code (no body)');
    expect(providerError(new Error('fetch failed'))).toBeUndefined();
  });

  it('makes only the answers no attempt changes permanent', () => {
    expect(engineError(apiError(403, { message: 'Country not supported' }), 'openai')).toBeInstanceOf(
      PermanentEngineError,
    );
    for (const status of [408, 409, 429, 500, 529]) {
      const error = apiError(status, { message: 'later' });
      expect(engineError(error, 'openai')).toBe(error);
    }
  });

  it("knows each server's way of saying the request is over the model's context window", () => {
    const overflows = [
      apiError(400, {
        message: "This model's maximum context length is 8192 tokens.",
        code: 'context_length_exceeded',
      }),
      apiError(400, {
        type: 'error',
        error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' },
      }),
      apiError(400, { message: 'input length and `max_tokens` exceed context limit: 197000 + 4096 > 200000' }),
      apiError(400, {
        message: 'request (4390 tokens) exceeds the available context size (4096 tokens), try increasing it',
        type: 'exceed_context_size_error',
      }),
      apiError(500, { message: 'Context size has been exceeded.', type: 'server_error' }),
      apiError(413, {
        type: 'error',
        error: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
      }),
    ];
    for (const error of overflows) expect(engineError(error, 'openai')).toBeInstanceOf(ContextOverflowError);
    const other = apiError(500, { message: 'Internal error' });
    expect(engineError(other, 'openai')).toBe(other);
  });
});
