/** What a secret is replaced with wherever Nectr shows or logs something that held one. */
export const REDACTED = '[redacted]';

/** `text` with every occurrence of each known secret in `values` replaced (empty ones skipped). */
export function redactValues(text: string, values: Iterable<string>): string {
  let redacted = text;
  for (const value of values) if (value) redacted = redacted.replaceAll(value, REDACTED);
  return redacted;
}
