import { REDACTED } from '../common/redact.js';

/**
 * Keys whose values are credentials wherever they appear. GitHub's payloads carry none today (a
 * ping's hook config masks its secret), but an event's payload is shown to whoever reads the API,
 * so a credential that ever appears there is replaced rather than trusted to be absent.
 */
const SECRET_KEY =
  /^(secret|token|password|passwd|private_key|client_secret|access_token|refresh_token|api_key)$|_(secret|token|password)$/i;

export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      SECRET_KEY.test(key) && inner !== null ? REDACTED : redactSecrets(inner),
    ]),
  );
}
