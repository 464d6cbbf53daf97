import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';

export const NectrOctokit = Octokit.plugin(retry, throttling);
export type GithubClient = InstanceType<typeof NectrOctokit>;
export type GithubHeaders = Record<string, string | number | undefined>;

export interface GithubClientOptions {
  token?: string;
  apiUrl: string;
  retryBaseMs: number;
  writeIntervalMs: number;
  timeoutMs: number;
  /** Retries of a 5xx or network failure (default 3). */
  retries?: number;
  /** Rate-limit waits longer than this fail instead (default 120 s). */
  maxRateLimitWaitSeconds?: number;
  /** Called for every answer GitHub gives, with its headers when there was one (metrics). */
  onResponse?: (status: number, headers?: GithubHeaders) => void;
  log?: { warn(message: string): void };
}

/** Rate-limit waits longer than this are not worth holding a job for; the job retries later. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 120;

/**
 * The longest one call of the patient client can take: three tries of GITHUB_TIMEOUT_MS with up to
 * two rate-limit waits between them.
 */
export function longestCallMs(timeoutMs: number): number {
  return 3 * timeoutMs + 2 * MAX_RATE_LIMIT_WAIT_SECONDS * 1000;
}

/**
 * A GitHub client: octokit with retry (5xx and network errors, with backoff) and throttling
 * (honours `retry-after` and `x-ratelimit-reset`, spaces writes the way GitHub asks). Jobs get a
 * patient one; calls made while a user's API request waits get one that gives up sooner.
 */
export function createGithubClient(options: GithubClientOptions): GithubClient {
  const maxWait = options.maxRateLimitWaitSeconds ?? MAX_RATE_LIMIT_WAIT_SECONDS;
  const waitOut = (limit: string, retryAfter: number, retryCount: number): boolean => {
    const wait = retryCount < 2 && retryAfter <= maxWait;
    options.log?.warn(
      `GitHub ${limit} hit; ${wait ? `retry ${retryCount + 1} in ${retryAfter}s` : `giving up (GitHub asks to wait ${retryAfter}s)`}`,
    );
    return wait;
  };
  const client = new NectrOctokit({
    auth: options.token,
    baseUrl: options.apiUrl,
    userAgent: 'nectr-review-bot',
    // octokit's fetch has no timeout of its own: every call gets one, so a GitHub that hangs
    // becomes an error that is retried instead of a job that never ends.
    request: { fetch: fetchWithTimeout(options.timeoutMs) },
    retry: { retryAfterBaseValue: options.retryBaseMs, retries: options.retries ?? 3 },
    throttle: {
      // Spacing of mutating calls, and of those that notify people (posting a review): the plugin
      // defaults to 1 s and 3 s. One interval for both (default 1 s: under GitHub's 80
      // content-creating requests a minute; a review makes three writes, its two statuses and the
      // review, so ~20 reviews a minute per process); tests use 0.
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.writeIntervalMs }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.writeIntervalMs }),
      onRateLimit: (retryAfter: number, _request: unknown, _octokit: unknown, retryCount: number) =>
        waitOut('rate limit', retryAfter, retryCount),
      onSecondaryRateLimit: (retryAfter: number, _request: unknown, _octokit: unknown, retryCount: number) =>
        waitOut('secondary rate limit', retryAfter, retryCount),
    },
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (m: string) => options.log?.warn(m),
      error: (m: string) => options.log?.warn(m),
    },
  });
  if (options.onResponse) {
    const report = options.onResponse;
    client.hook.after('request', (response) => report(response.status, response.headers as GithubHeaders));
    client.hook.error('request', (error) => {
      const { status, response } = error as { status?: unknown; response?: { headers?: GithubHeaders } };
      report(typeof status === 'number' ? status : 0, response?.headers);
      throw error;
    });
  }
  return client;
}

function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init = {}) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    return fetch(input, { ...init, signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
  };
}
