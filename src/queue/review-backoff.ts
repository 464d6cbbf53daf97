import { rateLimitResetMs, retryAfterMs } from '../common/retry-after.js';
import { rateLimitWaitSeconds } from '../github/github-errors.js';

/** The Bull backoff type of review jobs (registered on the queue as a custom strategy). */
export const REVIEW_BACKOFF = 'review';

/** Jobs rate-limited together come back spread over a tenth of the wait (at most 10 s), not at once. */
const RATE_LIMIT_SPREAD_MS = 10_000;

/** The longest wait a rate limit may impose on a job: a day, the longest quota window providers use. */
const LONGEST_JOB_DELAY_SECONDS = 24 * 3600;

/**
 * When the error is a model provider's rate limit (or an overload naming a wait), the seconds it
 * asks to wait (for a 429 with no `retry-after`, until OpenAI's used-up limit resets); otherwise null. Both model SDKs' errors carry the answer's `status` and its Fetch
 * `headers`; the SDK has already waited out short limits in place, so what reaches here is a
 * limit that outlasted its retries, or a quota asking for more than a minute.
 */
function providerWaitSeconds(error: unknown): number | null {
  const { status, headers } = (error ?? {}) as { status?: unknown; headers?: unknown };
  if (typeof status !== 'number' || typeof (headers as Headers | undefined)?.get !== 'function') return null;
  const ms = retryAfterMs(headers as Headers) ?? (status === 429 ? rateLimitResetMs(headers as Headers) : undefined);
  const seconds = ms === undefined ? undefined : Math.max(1, Math.ceil(ms / 1000));
  if (status === 429) return seconds ?? 60;
  return status >= 500 && seconds !== undefined ? seconds : null;
}

/**
 * Bull's exponential backoff (delayMs, then 3×, 7×, …), except that a job rate-limited for longer
 * than the client waits in place (GitHub's primary limit used up until `x-ratelimit-reset`, a model
 * provider's daily quota) comes back after the limit lifts (at most a day later), instead of
 * spending its attempts within two minutes and failing.
 */
export function reviewBackoff(
  attemptsMade: number,
  error: unknown,
  options: { delayMs?: number } | null,
  random: () => number = Math.random,
): number {
  const exponential = Math.round((2 ** attemptsMade - 1) * (options?.delayMs ?? 5000));
  const waitSeconds = rateLimitWaitSeconds(error) ?? providerWaitSeconds(error);
  if (waitSeconds === null) return exponential;
  const waitMs = Math.min(waitSeconds, LONGEST_JOB_DELAY_SECONDS) * 1000;
  return Math.max(exponential, waitMs + Math.floor(random() * Math.min(RATE_LIMIT_SPREAD_MS, waitMs / 10)));
}
