// How the model APIs' failures reach the review: what the SDKs may wait out in place, which answers
// no attempt changes (the event fails at once), a request too large for the model's window (the
// files are reviewed in halves), and errors that would not say which service failed.
import { retryAfterMs } from '../../../common/retry-after.js';
import { PermanentEngineError } from '../review-engine.js';

/**
 * The longest `retry-after` the SDKs may wait out in place. They honour any value (the Anthropic SDK
 * up to 24 days), holding a worker's review slot, and its shutdown, for as long as a provider's
 * daily quota says; past this the call fails and the job's own backoff takes over.
 */
export const MAX_RETRY_WAIT_MS = 60_000;

/**
 * `fetch` for the SDKs: an answer asking for a wait longer than MAX_RETRY_WAIT_MS, or saying the
 * account has no credit left (OpenAI's 429 `insufficient_quota`, which no wait lifts), is marked
 * `x-should-retry: false` (a header both SDKs obey), so the call throws instead of sleeping.
 */
export function withRetryWaitCap(send: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await send(input, init);
    if (response.ok) return response;
    const wait = retryAfterMs(response.headers);
    const pointless = (wait !== undefined && wait > MAX_RETRY_WAIT_MS) || (await saysNoCreditLeft(response));
    if (!pointless) return response;
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

async function saysNoCreditLeft(response: Response): Promise<boolean> {
  if (response.status !== 429) return false;
  try {
    return (await response.clone().text()).includes('"insufficient_quota"');
  } catch {
    return false;
  }
}

/**
 * The request did not fit the model's context window (the patch budget is an estimate, and a local
 * server's model may hold less): the files are reviewed in halves, and one file alone is listed as
 * not reviewed, as one over the budget is.
 */
export class ContextOverflowError extends Error {}

// OpenAI `context_length_exceeded`, Anthropic `prompt is too long: N tokens > M maximum` and
// `input length and max_tokens exceed context limit`, vLLM's "maximum context length", llama.cpp's
// `exceed_context_size_error` (a 400, or a 500 "Context size has been exceeded").
const CONTEXT_OVERFLOW = /context[ _](length|window|limit|size)|prompt is too long|too many tokens/i;

/** Model API answers another attempt will not change: a request refused as such, the key, access, the model. */
const PERMANENT_MODEL_STATUSES = new Set([400, 401, 403, 404, 422]);

/**
 * A call that got no answer (refused, reset mid-answer, timed out): the SDKs' APIConnectionError
 * ("Connection error.", "Request timed out.") or fetch's TypeError ("terminated"), which alone
 * would not say which service failed. Still worth another attempt: a plain Error, not permanent.
 */
function brokenConnection(error: unknown, engine: string): Error | undefined {
  // By name, not instanceof: fetch's errors may come from another realm (undici's own globals).
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  const sdk = /^APIConnection(Timeout)?Error$/.test(String((error as object | null)?.constructor?.name));
  // fetch's own failures only: a TypeError from a bug of ours must keep its message.
  const fetchFailed = name === 'TypeError' && (message === 'terminated' || message === 'fetch failed');
  if (typeof message !== 'string' || !(sdk || fetchFailed)) return undefined;
  let root = error as { cause?: unknown; code?: unknown; message?: unknown };
  while (root.cause && typeof root.cause === 'object') root = root.cause;
  const detail = typeof root.code === 'string' ? root.code : root.message;
  const why = root === error || typeof detail !== 'string' ? '' : ` (${detail})`;
  return new Error(`The ${engine} model API could not be reached or broke off: ${message}${why}`, { cause: error });
}

interface ProviderError {
  status: number;
  type?: string;
  code?: string;
  message?: string;
}

/**
 * What an SDK's APIError carries: the status and the provider's error (OpenAI's `error`, Anthropic's
 * `error.error`, Ollama's `error` string); else the SDK's own message.
 */
export function providerError(error: unknown): ProviderError | undefined {
  const { status, error: body, message } = (error ?? {}) as { status?: unknown; error?: unknown; message?: unknown };
  if (typeof status !== 'number') return undefined;
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  const outer = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const inner = (typeof outer.error === 'object' && outer.error !== null ? outer.error : outer) as Record<
    string,
    unknown
  >;
  return {
    status,
    type: text(inner.type),
    code: text(inner.code),
    message: text(inner.message) ?? text(body) ?? text(outer.error) ?? text(message),
  };
}

/**
 * A failed call as the review should see it: a PermanentEngineError in the provider's words when no
 * attempt will change the answer (so the event fails at once, not after REVIEW_ATTEMPTS tries),
 * else the SDK's error as it is (its status and headers set the job's backoff).
 */
export function engineError(error: unknown, engine: string): unknown {
  const e = providerError(error);
  if (!e) return brokenConnection(error, engine) ?? error;
  // 413: the request is too large for the API itself (Anthropic's 32 MB, a proxy's body limit).
  if (
    e.status === 413 ||
    ((e.status === 400 || e.status === 500) &&
      (e.code === 'context_length_exceeded' ||
        e.type === 'exceed_context_size_error' ||
        CONTEXT_OVERFLOW.test(e.message ?? '')))
  )
    return new ContextOverflowError(`${e.status}: ${e.message ?? 'request too large'}`, { cause: error });
  const noCredit = e.status === 429 && (e.code === 'insufficient_quota' || e.type === 'insufficient_quota');
  if (!noCredit && !PERMANENT_MODEL_STATUSES.has(e.status)) return error;
  const kind = e.code ?? e.type;
  return new PermanentEngineError(
    `The ${engine} model API answered ${e.status}${kind ? ` (${kind})` : ''}: ${e.message ?? 'no message'}`,
    { cause: error },
  );
}

/** The error for a 200 answer that is not the API's (the event's error; never the body itself, which may be a page). */
export function notAnAnswer(expected: string, got: unknown): string {
  const what = typeof got === 'string' ? `text of ${got.length} characters` : got === null ? 'null' : typeof got;
  return `The model server answered 200 without ${expected} (got ${what}): check the base URL`;
}
