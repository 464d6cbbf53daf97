import OpenAI from 'openai';
import {
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  ModelReviewEngine,
  type ChatTurn,
  type ModelAnswer,
  type ModelEngineOptions,
} from './model-review.js';
import { notAnAnswer, withRetryWaitCap } from './model-errors.js';

export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';

// Only plain chat completions, so any OpenAI-compatible server (Ollama, vLLM, LM Studio…) works:
// no response_format (not everywhere supported) and no token limit (newer OpenAI models reject
// `max_tokens`, older compatible servers don't know `max_completion_tokens`).
export class OpenAIEngine extends ModelReviewEngine {
  readonly name = 'openai';
  private readonly client: OpenAI;
  private readonly model: string;

  constructor(options: ModelEngineOptions) {
    super(options);
    if (!options.apiKey && !options.baseUrl)
      throw new Error('The openai review engine needs OPENAI_API_KEY or OPENAI_BASE_URL');
    this.model = options.model ?? DEFAULT_OPENAI_MODEL;
    this.client = new OpenAI({
      // Local servers ignore the key, but the SDK refuses to start without one.
      apiKey: options.apiKey ?? 'not-needed',
      baseURL: options.baseUrl,
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      fetch: withRetryWaitCap(),
    });
  }

  protected async complete(system: string, turns: ChatTurn[]): Promise<ModelAnswer> {
    const completion = await this.client.chat.completions.create({
      model: this.model,
      messages: [{ role: 'system', content: system }, ...turns],
    });
    // A wrong OPENAI_BASE_URL can land on a web page or proxy that answers 200 with something else.
    if (!Array.isArray(completion?.choices)) throw new Error(notAnAnswer('a chat completion', completion));
    const choice = completion.choices[0];
    // `content_filter`: the provider's (or Azure's) filter withheld the answer; `refusal`: the model's own.
    const refusal =
      choice?.finish_reason === 'content_filter'
        ? 'finish_reason content_filter'
        : choice?.message?.refusal
          ? `refusal: ${choice.message.refusal}`
          : undefined;
    return { text: choice?.message?.content ?? '', truncated: choice?.finish_reason === 'length', refusal };
  }
}
