// The review loop both model engines share; each engine only says how to send one conversation.
// Transport errors (network, 408, 409, 429, 5xx after the SDK's own retries) propagate so the review
// job fails and Bull retries it; so does an answer still unreadable after the model was asked to fix
// it. An answer no attempt changes (a refused key or model, no credit left) fails the event at once.
import { retryAfterMs } from '../../../common/retry-after.js';
import { addedLines } from '../../diff/patch.js';
import {
  PermanentEngineError,
  type Finding,
  type ReviewEngine,
  type ReviewInput,
  type ReviewResult,
} from '../review-engine.js';
import { parseAnswer, type ParsedAnswer } from './answer.js';
import {
  buildPrompt,
  DEFAULT_BUDGET_TOKENS,
  planChunks,
  retryPrompt,
  shorterPrompt,
  SYSTEM_PROMPT,
  type PromptFile,
} from './prompt.js';

/** The model answered twice, and neither answer could be read: the review of its files failed. */
export class UnreadableAnswerError extends Error {}

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** One answer: its text, and whether the model stopped at the answer-length limit (cut off). */
export interface ModelAnswer {
  text: string;
  truncated: boolean;
  /** Why the provider's safety system stopped the answer (`stop_reason refusal`), if it did. */
  refusal?: string;
}

/** What the config hands an engine; the rest have defaults meant for production. */
export interface ModelEngineOptions {
  apiKey?: string;
  baseUrl?: string;
  model?: string;
  /** SDK retries per call on 408/409/429/5xx/network errors before the call throws. */
  maxRetries?: number;
  timeoutMs?: number;
  budgetTokens?: number;
}

export const DEFAULT_MAX_RETRIES = 2;
// Non-streaming answers of a few thousand tokens can take a couple of minutes on a busy model.
export const DEFAULT_TIMEOUT_MS = 180_000;
export const MAX_ANSWER_TOKENS = 4096;
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

interface ChunkResult {
  summary: string;
  findings: Finding[];
  dropped: number;
  skipped: ReviewResult['skipped'];
}

export abstract class ModelReviewEngine implements ReviewEngine {
  abstract readonly name: string;
  private readonly budgetTokens: number;

  protected constructor(options: ModelEngineOptions) {
    this.budgetTokens = options.budgetTokens ?? DEFAULT_BUDGET_TOKENS;
  }

  /** Sends one conversation and returns the model's answer. */
  protected abstract complete(system: string, turns: ChatTurn[]): Promise<ModelAnswer>;

  private async ask(turns: ChatTurn[]): Promise<ModelAnswer> {
    try {
      return await this.complete(SYSTEM_PROMPT, turns);
    } catch (error) {
      throw engineError(error, this.name);
    }
  }

  async review(input: ReviewInput): Promise<ReviewResult> {
    const { chunks, skipped } = planChunks(input.files, this.budgetTokens);
    if (chunks.length === 0) {
      return { summary: 'No file in this pull request was suitable for a model review.', findings: [], skipped };
    }
    // Added lines only: a finding is open while its line is among the PR's added lines (REVIEW.md),
    // so one on a context line would fail the status once and pass it on the next push, fixed or not.
    const diffLines = new Map(input.files.map((f) => [f.filename, new Set(addedLines(f.patch).map((l) => l.line))]));
    const results: ChunkResult[] = [];
    // One call at a time: parallel calls mostly buy 429s from the provider.
    for (const [i, files] of chunks.entries()) {
      results.push(await this.reviewChunk(input, files, i + 1, chunks.length, diffLines));
    }
    const summaries = results.map(
      (r) => r.summary || 'The model could not take these files (see the files not reviewed).',
    );
    if (chunks.length > 1)
      summaries.forEach((text, i) => (summaries[i] = `**Part ${i + 1}/${chunks.length}.** ${text}`));
    const dropped = results.reduce((n, r) => n + r.dropped, 0);
    if (dropped > 0) summaries.push(`_${dropped} finding(s) the model placed outside the added lines were left out._`);
    return {
      summary: summaries.join('\n\n'),
      findings: results.flatMap((r) => r.findings),
      skipped: [...skipped, ...results.flatMap((r) => r.skipped)],
    };
  }

  private async reviewChunk(
    input: ReviewInput,
    files: PromptFile[],
    part: number,
    parts: number,
    diffLines: Map<string, Set<number>>,
  ): Promise<ChunkResult> {
    try {
      return await this.readChunk(input, files, part, parts, diffLines);
    } catch (error) {
      if (!(error instanceof ContextOverflowError)) throw error;
      if (files.length > 1) return this.reviewHalves(input, files, part, parts, diffLines);
      const reason = `too large for the model's context window (${error.message})`;
      return { summary: '', findings: [], dropped: 0, skipped: [{ path: files[0].path, reason }] };
    }
  }

  /** Each half of the files gets its own call(s), so none of their findings is lost. */
  private async reviewHalves(
    input: ReviewInput,
    files: PromptFile[],
    part: number,
    parts: number,
    diffLines: Map<string, Set<number>>,
  ): Promise<ChunkResult> {
    const half = Math.ceil(files.length / 2);
    const first = await this.reviewChunk(input, files.slice(0, half), part, parts, diffLines);
    const second = await this.reviewChunk(input, files.slice(half), part, parts, diffLines);
    return {
      summary: [first.summary, second.summary].filter(Boolean).join('\n\n'),
      findings: [...first.findings, ...second.findings],
      dropped: first.dropped + second.dropped,
      skipped: [...first.skipped, ...second.skipped],
    };
  }

  private async readChunk(
    input: ReviewInput,
    files: PromptFile[],
    part: number,
    parts: number,
    diffLines: Map<string, Set<number>>,
  ): Promise<ChunkResult> {
    const turns: ChatTurn[] = [{ role: 'user', content: buildPrompt(input, files, part, parts) }];
    let answer = await this.ask(turns);
    // Asking a refusing model again for JSON is refused again, and so is every job attempt: the
    // event fails at once, saying so, rather than as an unreadable answer after ten calls.
    if (answer.refusal)
      throw new PermanentEngineError(
        `The model declined to review ${files.map((f) => f.path).join(', ')} (${answer.refusal})`,
      );
    let parsed: ParsedAnswer = parseAnswer(answer.text);
    if (!parsed.ok && answer.truncated && files.length > 1) {
      // The files' findings did not fit in one answer: each half gets its own, so none is lost.
      return this.reviewHalves(input, files, part, parts, diffLines);
    }
    if (!parsed.ok) {
      // Providers reject empty turns, and the model needs to see what it said to fix it. An answer
      // cut off at the length limit would be cut again: it is asked for a shorter one instead.
      turns.push(
        { role: 'assistant', content: answer.text.trim() || '(empty answer)' },
        { role: 'user', content: answer.truncated ? shorterPrompt() : retryPrompt(parsed.error) },
      );
      answer = await this.ask(turns);
      parsed = parseAnswer(answer.text);
    }
    if (!parsed.ok) {
      // Never a clean review of files the model did not review: the job fails and is retried (an
      // answer is not the same twice), and once its attempts are spent the status says `error`.
      const names = files.map((f) => f.path).join(', ');
      throw new UnreadableAnswerError(`The model's answer could not be read twice (${parsed.error}); files: ${names}`);
    }
    const findings: Finding[] = [];
    let dropped = 0;
    for (const f of parsed.answer.findings) {
      if (!diffLines.get(f.path)?.has(f.line)) {
        dropped++;
        continue;
      }
      findings.push({
        ruleId: `model/${this.name}`,
        severity: f.severity,
        path: f.path,
        line: f.line,
        message: f.message,
      });
    }
    return { summary: parsed.answer.summary || 'The model gave no summary.', findings, dropped, skipped: [] };
  }
}
