import type { ConfigType } from '@nestjs/config';
import type { reviewConfig } from '../../config/index.js';
import type { ReviewEngine } from './review-engine.js';

/**
 * The engine REVIEW_ENGINE names, built once per process. Each engine is imported only when chosen:
 * the builtin one brings ESLint, typescript-eslint's parser and secretlint, which a process that
 * never reviews (PROCESS_ROLE=api) or reviews with a model has no use for.
 */
export async function createReviewEngine(config: ConfigType<typeof reviewConfig>): Promise<ReviewEngine> {
  switch (config.engine) {
    case 'anthropic': {
      const { AnthropicEngine } = await import('./model/anthropic.engine.js');
      return new AnthropicEngine({ ...config.anthropic, model: config.model });
    }
    case 'openai': {
      const { OpenAIEngine } = await import('./model/openai.engine.js');
      return new OpenAIEngine({ ...config.openai, model: config.model });
    }
    case 'builtin': {
      const { BuiltinEngine } = await import('./builtin/builtin.engine.js');
      return BuiltinEngine.create();
    }
    default:
      // A name REVIEW_ENGINES accepts without a case here must not review with another engine:
      // the type check fails on it, and at run time the worker does not start.
      throw new Error(`No review engine is built for REVIEW_ENGINE=${String(config.engine satisfies never)}`);
  }
}
