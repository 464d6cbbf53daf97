import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { validateEnv } from './validate-env.js';

class GithubEnv {
  @IsOptional()
  @IsString()
  GITHUB_TOKEN?: string = undefined;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  GITHUB_API_URL: string = 'https://api.github.com';

  /** Base delay of octokit's retry plugin (it waits base × retryCount²); GitHub's guidance is 1 s. */
  @IsInt()
  @Min(0)
  @Max(60_000)
  GITHUB_RETRY_BASE_MS: number = 1000;

  /** Spacing between write calls (octokit's throttling plugin; GitHub asks for 1 s). */
  @IsInt()
  @Min(0)
  @Max(60_000)
  GITHUB_WRITE_INTERVAL_MS: number = 1000;

  @IsInt()
  @Min(1000)
  @Max(120_000)
  GITHUB_TIMEOUT_MS: number = 15_000;
}

export const githubConfig = registerAs('github', () => {
  const env = validateEnv(GithubEnv);
  return {
    token: env.GITHUB_TOKEN,
    apiUrl: env.GITHUB_API_URL.replace(/\/+$/, ''),
    retryBaseMs: env.GITHUB_RETRY_BASE_MS,
    writeIntervalMs: env.GITHUB_WRITE_INTERVAL_MS,
    timeoutMs: env.GITHUB_TIMEOUT_MS,
  };
});
