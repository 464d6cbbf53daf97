import type { GithubHeaders } from './octokit.factory.js';

/** The HTTP status of an octokit error, or 0 when GitHub could not be reached at all. */
export function githubStatus(error: unknown): number {
  const { status, response } = (error ?? {}) as { status?: unknown; response?: unknown };
  // octokit reports a failed fetch (refused, reset, timed out) as a 500 without a response.
  if (!response) return 0;
  return typeof status === 'number' && status >= 100 ? status : 0;
}

/** GitHub's own message (and validation errors) from an octokit error, for users to act on. */
export function githubMessage(error: unknown): string {
  const response = (error as { response?: { data?: { message?: string; errors?: unknown[] } } } | null)?.response;
  const base = response?.data?.message ?? (error instanceof Error ? error.message : String(error));
  const details = (response?.data?.errors ?? [])
    .map((e) => (typeof e === 'string' ? e : ((e as { message?: string }).message ?? (e as { code?: string }).code)))
    .filter(Boolean);
  return details.length ? `${base}: ${details.join('; ')}` : base;
}

/**
 * When the error is GitHub's rate limit (primary or secondary), the seconds GitHub asks to wait
 * (from `retry-after` or `x-ratelimit-reset`; a minute when it names none); otherwise null.
 */
export function rateLimitWaitSeconds(error: unknown, nowMs = Date.now()): number | null {
  const status = githubStatus(error);
  if (status !== 403 && status !== 429) return null;
  const headers: GithubHeaders = (error as { response?: { headers?: GithubHeaders } }).response?.headers ?? {};
  const retryAfter = Number(headers['retry-after'] ?? NaN);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return Math.max(1, Math.ceil(retryAfter));
  if (String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset'] ?? NaN);
    return Number.isFinite(reset) ? Math.max(1, Math.ceil(reset - nowMs / 1000)) : 60;
  }
  return status === 429 || /rate limit/i.test(githubMessage(error)) ? 60 : null;
}
