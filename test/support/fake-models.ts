// A fake model provider: a real HTTP server on 127.0.0.1 speaking both the Anthropic Messages API
// and OpenAI chat completions, so the official SDKs run unmodified against it. It records every
// request and answers from a queue of scripted replies (text, or an HTTP error), then a default.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedModelRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The JSON body; undefined when there was none or it was not JSON (then see `raw`). */
  body: ModelRequestBody | undefined;
  raw: string;
}

/** What the SDKs send, as far as the fake and the tests read it. */
export interface ModelRequestBody {
  model?: string;
  messages?: Array<{ role: string; content: string }>;
  response_format?: unknown;
}

/** What a provider's error body says besides its status (OpenAI's `code`, either API's `type`). */
export interface ScriptedError {
  message: string;
  type?: string;
  code?: string;
}

type ScriptedReply =
  | { text: string; truncated?: boolean; refused?: boolean }
  | ({ status: number; headers?: Record<string, string> } & ScriptedError);

export class FakeModelServer {
  readonly requests: RecordedModelRequest[] = [];
  /** Answer given when the queue is empty. */
  defaultText = JSON.stringify({ summary: 'Looks fine.', findings: [] });
  url = '';
  /**
   * Opt-in: the model's context window, in the fake's tokens (4 characters each). A request over it
   * is refused as the providers refuse one (400: Anthropic's `prompt is too long`, OpenAI's
   * `context_length_exceeded`), before the queue is read.
   */
  contextWindowTokens?: number;
  private queue: ScriptedReply[] = [];
  private server?: Server;
  private nextId = 1;

  /** Base URL for the Anthropic SDK, which appends `/v1/messages` itself. */
  get anthropicBaseUrl(): string {
    return this.url;
  }

  /** Base URL for the OpenAI SDK, which expects the `/v1` prefix in it. */
  get openaiBaseUrl(): string {
    return `${this.url}/v1`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    // The SDKs keep connections alive; close() alone would wait for them.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Queues text answers, one per request. */
  reply(...texts: string[]): this {
    this.queue.push(...texts.map((text) => ({ text })));
    return this;
  }

  /** Queues a text answer cut off at the answer-length limit (`max_tokens` / `length`). */
  replyTruncated(text: string): this {
    this.queue.push({ text, truncated: true });
    return this;
  }

  /**
   * Queues an answer the provider's safety system stopped: Anthropic's `stop_reason: "refusal"`,
   * OpenAI's `finish_reason: "content_filter"` (its content null when nothing was said).
   */
  replyRefused(text = ''): this {
    this.queue.push({ text, refused: true });
    return this;
  }

  /** Queues an answer that is `value` as JSON. */
  replyJson(value: unknown): this {
    return this.reply(JSON.stringify(value));
  }

  /** Queues `times` error responses with this status (and these headers instead of a short `retry-after-ms`). */
  fail(status: number, times = 1, message = `fake error ${status}`, headers?: Record<string, string>): this {
    for (let i = 0; i < times; i++) this.queue.push({ status, message, headers });
    return this;
  }

  /**
   * Queues one error response shaped as the provider's, with its `type` (both APIs) and `code`
   * (OpenAI's: `insufficient_quota`, `context_length_exceeded`, `model_not_found`…).
   */
  failWith(status: number, error: ScriptedError, headers?: Record<string, string>): this {
    this.queue.push({ status, ...error, headers });
    return this;
  }

  reset(): void {
    this.queue = [];
    this.contextWindowTokens = undefined;
    this.requests.length = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: ModelRequestBody | undefined;
    try {
      body = raw ? (JSON.parse(raw) as ModelRequestBody) : undefined;
    } catch {
      body = undefined; // `raw` keeps the text: a test may want to see what was sent.
    }
    const path = (req.url ?? '/').split('?')[0];
    this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body, raw });

    const api =
      req.method === 'POST' && path === '/v1/messages'
        ? 'anthropic'
        : req.method === 'POST' && path === '/v1/chat/completions'
          ? 'openai'
          : undefined;
    if (!api) return send(res, 404, { error: { type: 'not_found_error', message: `no route ${req.method} ${path}` } });

    const promptTokens = Math.ceil(raw.length / 4);
    const window = this.contextWindowTokens;
    const next: ScriptedReply =
      window !== undefined && promptTokens > window
        ? api === 'anthropic'
          ? { status: 400, message: `prompt is too long: ${promptTokens} tokens > ${window} maximum` }
          : {
              status: 400,
              code: 'context_length_exceeded',
              message: `This model's maximum context length is ${window} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`,
            }
        : (this.queue.shift() ?? { text: this.defaultText });
    if ('status' in next) {
      const type = next.type ?? errorType(next.status);
      const error =
        api === 'anthropic'
          ? { type: 'error', error: { type, message: next.message }, request_id: `req_fake${this.nextId++}` }
          : { error: { message: next.message, type, param: null, code: next.code ?? null } };
      // retry-after-ms (honoured by both SDKs) keeps tests that exercise SDK retries fast.
      return send(res, next.status, error, next.headers ?? { 'retry-after-ms': '10' });
    }
    const id = `fake-${this.nextId++}`;
    const inputTokens = promptTokens;
    const outputTokens = Math.ceil(next.text.length / 4);
    if (api === 'anthropic') {
      return send(res, 200, {
        id,
        type: 'message',
        role: 'assistant',
        model: body?.model ?? 'fake',
        content: [{ type: 'text', text: next.text }],
        stop_reason: next.refused ? 'refusal' : next.truncated ? 'max_tokens' : 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: inputTokens, output_tokens: outputTokens },
      });
    }
    send(res, 200, {
      id,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body?.model ?? 'fake',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: next.refused && !next.text ? null : next.text },
          finish_reason: next.refused ? 'content_filter' : next.truncated ? 'length' : 'stop',
        },
      ],
      usage: { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens },
    });
  }
}

function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
