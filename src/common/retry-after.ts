/**
 * How long an HTTP answer asks the client to wait before trying again, in ms, from `retry-after-ms`
 * (OpenAI's and Anthropic's) or `retry-after` (seconds or an HTTP date); undefined when it names
 * no wait.
 */
export function retryAfterMs(headers: Pick<Headers, 'get'>, nowMs = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms)) return ms;
  const after = headers.get('retry-after');
  if (!after) return undefined;
  const seconds = Number.parseFloat(after);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(after);
  return Number.isFinite(date) ? date - nowMs : undefined;
}

/** A duration as OpenAI's `x-ratelimit-reset-*` headers write it (`1s`, `6m0s`, `1h2m3.5s`, `20ms`), in ms. */
function durationMs(text: string): number | undefined {
  // A provider's header: past a sane length it is not a duration (and the pattern below would
  // backtrack on a long run of digits).
  if (text.length > 64) return undefined;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text.trim()) return undefined;
  const unit = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;
  return parts.reduce((sum, [, value, name]) => sum + Number(value) * unit[name as keyof typeof unit], 0);
}

/**
 * When an OpenAI rate limit that is used up lifts, in ms from now: the longest `x-ratelimit-reset-*`
 * among the limits (`requests`, `tokens`) whose `x-ratelimit-remaining-*` is 0. OpenAI's 429 may
 * carry no `retry-after`; these headers still say how long a daily limit lasts.
 */
export function rateLimitResetMs(headers: Pick<Headers, 'get'>): number | undefined {
  const waits = ['requests', 'tokens'].flatMap((limit) => {
    if (headers.get(`x-ratelimit-remaining-${limit}`)?.trim() !== '0') return [];
    const ms = durationMs(headers.get(`x-ratelimit-reset-${limit}`) ?? '');
    return ms === undefined ? [] : [ms];
  });
  return waits.length ? Math.max(...waits) : undefined;
}
