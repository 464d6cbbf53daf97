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
