import { describe, expect, it } from '@jest/globals';
import type { ConfigType } from '@nestjs/config';
import { REVIEW_ENGINES, type reviewConfig } from '../../config/review.config.js';
import { createReviewEngine } from './engine.factory.js';

const settings = (engine: string): ConfigType<typeof reviewConfig> => ({
  engine: engine as ConfigType<typeof reviewConfig>['engine'],
  concurrency: 1,
  attempts: 1,
  backoffMs: 0,
  anthropic: { apiKey: 'test-key', baseUrl: 'http://127.0.0.1:9' },
  openai: { apiKey: 'test-key', baseUrl: 'http://127.0.0.1:9' },
  model: undefined,
});

describe('createReviewEngine', () => {
  it.each(REVIEW_ENGINES)('builds the engine REVIEW_ENGINE=%s names', async (name) => {
    expect((await createReviewEngine(settings(name))).name).toBe(name);
  });

  it('refuses a name it has no engine for, rather than reviewing with the builtin one', async () => {
    await expect(createReviewEngine(settings('no-such-engine'))).rejects.toThrow(
      'No review engine is built for REVIEW_ENGINE=no-such-engine',
    );
  });
});
