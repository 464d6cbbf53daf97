import { describe, expect, it } from '@jest/globals';
import { reviewBackoff } from './review-backoff.js';

/** An octokit RequestError as GitHub's answer leaves it: status, message and the response. */
function githubError(
  status: number,
  headers: Record<string, string>,
  message = 'API rate limit exceeded for user ID 1.',
) {
  return Object.assign(new Error(message), { status, response: { status, headers, data: { message } } });
}

describe('reviewBackoff', () => {
  const options = { delayMs: 100 };

  it("is Bull's exponential backoff for ordinary failures", () => {
    const error = githubError(502, {}, 'Bad Gateway');
    expect([1, 2, 3, 4].map((attempts) => reviewBackoff(attempts, error, options))).toEqual([100, 300, 700, 1500]);
    expect(reviewBackoff(1, new Error('socket hang up'), options)).toBe(100);
    expect(reviewBackoff(1, githubError(403, {}, 'Resource not accessible by integration'), options)).toBe(100);
  });

  it('waits until the primary rate limit resets, spread over up to 10 s', () => {
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    const error = githubError(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset });
    const earliest = reviewBackoff(1, error, options, () => 0);
    expect(earliest).toBeGreaterThanOrEqual(3_598_000);
    expect(earliest).toBeLessThanOrEqual(3_601_000);
    expect(reviewBackoff(1, error, options, () => 0.999) - earliest).toBeGreaterThan(9_000);
  });

  it("honours a secondary limit's retry-after, and a 429 without one waits a minute", () => {
    const secondary = githubError(403, { 'retry-after': '300' }, 'You have exceeded a secondary rate limit.');
    expect(reviewBackoff(1, secondary, options, () => 0)).toBe(300_000);
    expect(reviewBackoff(1, secondary, options, () => 0.999)).toBe(300_000 + 9_990);
    expect(reviewBackoff(1, githubError(429, {}, 'Too Many Requests'), options, () => 0)).toBe(60_000);
  });

  it('spreads short waits over a tenth of the wait', () => {
    const secondary = githubError(403, { 'retry-after': '2' }, 'You have exceeded a secondary rate limit.');
    expect(reviewBackoff(1, secondary, options, () => 0.999)).toBe(2_199);
  });

  it('keeps the exponential delay when it is already longer than the wait', () => {
    const error = githubError(429, { 'retry-after': '1' }, 'Too Many Requests');
    expect(reviewBackoff(10, error, { delayMs: 5000 }, () => 0)).toBe(1023 * 5000);
  });
});
