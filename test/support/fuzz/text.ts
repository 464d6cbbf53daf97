// Text helpers shared by generators and reports: header bytes as Node sends them, lenient JSON, previews.

/**
 * A header value as bytes on the wire: UTF-8 text is sent as its bytes (which Node writes as
 * latin1), and the control characters Node's client refuses are dropped.
 */
export function headerValue(text: string): string {
  return Buffer.from(text, 'utf8')
    .toString('latin1')
    .replace(/[^\t\x20-\x7e\x80-\xff]/g, '');
}
/** The body as JSON, or undefined when it is not JSON. */
export function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A short, printable preview of bytes or text for failure reports. */
export function preview(value: Buffer | string | undefined, max = 160): string {
  if (value === undefined) return '(none)';
  const text = Buffer.isBuffer(value) ? value.subarray(0, max * 4).toString('latin1') : value;
  const shown = JSON.stringify(text.length > max ? text.slice(0, max) : text);
  const size = Buffer.isBuffer(value) ? value.length : text.length;
  return size > max ? `${shown}… (${size} ${Buffer.isBuffer(value) ? 'bytes' : 'chars'})` : shown;
}
