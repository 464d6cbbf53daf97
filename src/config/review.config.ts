import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { ConfigError, validateEnv } from './validate-env.js';

/** The engines REVIEW_ENGINE may name; `src/review/engines/engine.factory.ts` builds each of them. */
export const REVIEW_ENGINES = ['builtin', 'anthropic', 'openai'] as const;
export type ReviewEngineName = (typeof REVIEW_ENGINES)[number];

class ReviewEnv {
  @IsIn(REVIEW_ENGINES)
  REVIEW_ENGINE: string = 'builtin';

  @IsInt()
  @Min(1)
  @Max(64)
  REVIEW_CONCURRENCY: number = 2;

  @IsInt()
  @Min(1)
  @Max(20)
  REVIEW_ATTEMPTS: number = 5;

  /** First backoff delay between job attempts; it doubles each time. */
  @IsInt()
  @Min(0)
  @Max(600_000)
  REVIEW_BACKOFF_MS: number = 5000;

  @IsOptional() @IsString() ANTHROPIC_API_KEY?: string = undefined;
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) ANTHROPIC_BASE_URL?: string = undefined;
  @IsOptional() @IsString() OPENAI_API_KEY?: string = undefined;
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) OPENAI_BASE_URL?: string = undefined;
  @IsOptional() @IsString() REVIEW_MODEL?: string = undefined;
}

export const reviewConfig = registerAs('review', () => {
  const env = validateEnv(ReviewEnv);
  const engine = env.REVIEW_ENGINE as ReviewEngineName;
  if (engine === 'anthropic' && !env.ANTHROPIC_API_KEY) {
    throw new ConfigError('Invalid configuration: ANTHROPIC_API_KEY is required when REVIEW_ENGINE=anthropic');
  }
  if (engine === 'openai' && !env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) {
    throw new ConfigError(
      'Invalid configuration: OPENAI_API_KEY (or OPENAI_BASE_URL for a local server) is required when REVIEW_ENGINE=openai',
    );
  }
  return {
    engine,
    concurrency: env.REVIEW_CONCURRENCY,
    attempts: env.REVIEW_ATTEMPTS,
    backoffMs: env.REVIEW_BACKOFF_MS,
    anthropic: { apiKey: env.ANTHROPIC_API_KEY, baseUrl: env.ANTHROPIC_BASE_URL },
    openai: { apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL },
    model: env.REVIEW_MODEL,
  };
});
