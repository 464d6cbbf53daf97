import { rateLimitWaitSeconds } from '../github/github-errors.js';

/** The Bull backoff type of review jobs (registered on the queue as a custom strategy). */
export const REVIEW_BACKOFF = 'review';

/** Jobs rate-limited together come back spread over a tenth of the wait (at most 10 s), not at once. */
const RATE_LIMIT_SPREAD_MS = 10_000;

/**
 * Bull's exponential backoff (delayMs, then 3×, 7×, …), except that a job GitHub rate-limited for
 * longer than the client waits in place (primary limit used up until `x-ratelimit-reset`) comes
 * back after GitHub says the limit lifts, instead of spending its attempts within two minutes and
 * failing.
 */
export function reviewBackoff(
  attemptsMade: number,
  error: unknown,
  options: { delayMs?: number } | null,
  random: () => number = Math.random,
): number {
  const exponential = Math.round((2 ** attemptsMade - 1) * (options?.delayMs ?? 5000));
  const waitSeconds = rateLimitWaitSeconds(error);
  if (waitSeconds === null) return exponential;
  const waitMs = waitSeconds * 1000;
  return Math.max(exponential, waitMs + Math.floor(random() * Math.min(RATE_LIMIT_SPREAD_MS, waitMs / 10)));
}
