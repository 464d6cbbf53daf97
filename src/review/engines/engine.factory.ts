import type { ConfigType } from '@nestjs/config';
import type { reviewConfig } from '../../config/index.js';
import { BuiltinEngine } from './builtin/builtin.engine.js';
import { AnthropicEngine } from './model/anthropic.engine.js';
import { OpenAIEngine } from './model/openai.engine.js';
import type { ReviewEngine } from './review-engine.js';

/** The engine REVIEW_ENGINE names, built once per process. */
export async function createReviewEngine(config: ConfigType<typeof reviewConfig>): Promise<ReviewEngine> {
  switch (config.engine) {
    case 'anthropic':
      return new AnthropicEngine({ ...config.anthropic, model: config.model });
    case 'openai':
      return new OpenAIEngine({ ...config.openai, model: config.model });
    default:
      return BuiltinEngine.create();
  }
}
