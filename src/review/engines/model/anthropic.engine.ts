import Anthropic from '@anthropic-ai/sdk';
import {
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  MAX_ANSWER_TOKENS,
  ModelReviewEngine,
  type ChatTurn,
  type ModelAnswer,
  type ModelEngineOptions,
} from './model-review.js';
import { notAnAnswer, withRetryWaitCap } from './model-errors.js';

// claude-sonnet-4-5 is on the SDK's deprecation list and would log a warning on every call.
export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-4-6';

export class AnthropicEngine extends ModelReviewEngine {
  readonly name = 'anthropic';
  private readonly client: Anthropic;
  private readonly model: string;

  constructor(options: ModelEngineOptions) {
    super(options);
    // Without a key the SDK goes looking for credential profiles on disk; fail loudly instead.
    if (!options.apiKey) throw new Error('The anthropic review engine needs ANTHROPIC_API_KEY');
    this.model = options.model ?? DEFAULT_ANTHROPIC_MODEL;
    this.client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseUrl,
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      fetch: withRetryWaitCap(),
    });
  }

  protected async complete(system: string, turns: ChatTurn[]): Promise<ModelAnswer> {
    const message = await this.client.messages.create({
      model: this.model,
      max_tokens: MAX_ANSWER_TOKENS,
      system,
      messages: turns,
    });
    // A wrong ANTHROPIC_BASE_URL can land on a web page or proxy that answers 200 with something else.
    if (!Array.isArray(message?.content)) throw new Error(notAnAnswer('a Messages API message', message));
    const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    return {
      text,
      truncated: message.stop_reason === 'max_tokens',
      refusal: message.stop_reason === 'refusal' ? 'stop_reason refusal' : undefined,
    };
  }
}
