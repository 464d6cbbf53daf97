import { describe, expect, it } from '@jest/globals';
import { watchdog } from '../../test/support/watchdog.js';
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

  /** A model SDK's APIError as both SDKs throw it: the status and the answer's Fetch headers. */
  const providerError = (status: number, headers: Record<string, string>) =>
    Object.assign(new Error(`${status} rate limited`), { status, headers: new Headers(headers) });

  it("waits out a model provider's quota as it asks, at most a day", () => {
    expect(reviewBackoff(1, providerError(429, { 'retry-after': '3600' }), options, () => 0)).toBe(3_600_000);
    expect(reviewBackoff(1, providerError(429, { 'retry-after-ms': '90500' }), options, () => 0)).toBe(91_000);
    const date = new Date(Date.now() + 7_200_000).toUTCString();
    const byDate = reviewBackoff(1, providerError(429, { 'retry-after': date }), options, () => 0);
    expect(byDate).toBeGreaterThan(7_190_000);
    expect(byDate).toBeLessThanOrEqual(7_200_000);
    expect(reviewBackoff(1, providerError(429, { 'retry-after': String(30 * 86_400) }), options, () => 0)).toBe(
      86_400_000,
    );
  });

  it("waits for OpenAI's used-up limit to reset when its 429 names no wait", () => {
    const daily = { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6h13m0.5s' };
    expect(reviewBackoff(1, providerError(429, daily), options, () => 0)).toBe(22_381_000);
    const both = {
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '90s',
      'x-ratelimit-remaining-tokens': '0',
      'x-ratelimit-reset-tokens': '6m0s',
    };
    expect(reviewBackoff(1, providerError(429, both), options, () => 0)).toBe(360_000);
    // A limit not used up, or a reset it cannot read, names no wait: a minute.
    const left = { 'x-ratelimit-remaining-requests': '12', 'x-ratelimit-reset-requests': '6h' };
    expect(reviewBackoff(1, providerError(429, left), options, () => 0)).toBe(60_000);
    const odd = { 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': 'soon' };
    expect(reviewBackoff(1, providerError(429, odd), options, () => 0)).toBe(60_000);
    const digits = { 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '9'.repeat(200_000) };
    expect(watchdog(10_000, () => reviewBackoff(1, providerError(429, digits), options, () => 0))).toBe(60_000);
    // retry-after, when given, wins.
    expect(reviewBackoff(1, providerError(429, { ...daily, 'retry-after': '30' }), options, () => 0)).toBe(30_000);
  });

  it('gives a provider 429 without a wait a minute, and an overload naming a wait that wait', () => {
    expect(reviewBackoff(1, providerError(429, {}), options, () => 0)).toBe(60_000);
    expect(reviewBackoff(1, providerError(529, { 'retry-after': '120' }), options, () => 0)).toBe(120_000);
    expect(reviewBackoff(1, providerError(529, {}), options)).toBe(100);
    expect(reviewBackoff(1, providerError(401, { 'retry-after': '120' }), options)).toBe(100);
  });

  it('caps a GitHub wait at a day too', () => {
    const error = githubError(429, { 'retry-after': String(3 * 86_400) }, 'Too Many Requests');
    expect(reviewBackoff(1, error, options, () => 0)).toBe(86_400_000);
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
