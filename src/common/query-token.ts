import type { NextFunction, Request, Response } from 'express';
import { REDACTED, redactValues } from './redact.js';

/**
 * Query parameters a client might put a token in, by name once decoded, lower-cased, `-` read as
 * `_`, a leading `x_` and a trailing `[…]` dropped (`token[]=`, `X-Api-Key=`).
 */
const TOKEN_PARAMS = new Set([
  'access_token',
  'token',
  'api_token',
  'apitoken',
  'api_key',
  'apikey',
  'private_token',
  'bearer',
  'auth_token',
  'auth',
]);

/**
 * The URL as it may be logged: the value of any token-like query parameter replaced, and the API
 * token itself (`secret`) wherever it is, under any name or in the path.
 */
export function redactUrl(url: string, secret?: string): string {
  const query = url.indexOf('?');
  let redacted = url;
  if (query !== -1) {
    const params = url
      .slice(query + 1)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        const name = eq === -1 ? pair : pair.slice(0, eq);
        return eq !== -1 && isTokenName(name) ? `${name}=${REDACTED}` : pair;
      })
      .join('&');
    redacted = `${url.slice(0, query)}?${params}`;
  }
  return secret ? redactValues(redacted, [secret, encodeURIComponent(secret)]) : redacted;
}

/**
 * Runs on every request's query, before authentication, so it uses no regular expression: a
 * backtracking `\[[^\]]*\]$` took about half a second on a 16 KB name of `[`s.
 */
function isTokenName(name: string): boolean {
  let normal = safeDecode(name).toLowerCase().replaceAll('-', '_');
  if (normal.endsWith(']')) {
    // The trailing `[…]`: from the first `[` after the last `]` before the end.
    const open = normal.indexOf('[', normal.lastIndexOf(']', normal.length - 2) + 1);
    if (open !== -1) normal = normal.slice(0, open);
  }
  if (normal.startsWith('x_')) normal = normal.slice(2);
  return TOKEN_PARAMS.has(normal);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A token in the URL ends up in proxies' and browsers' histories: refuse it, saying where it belongs,
 * before anything checks it (the request log shows the URL redacted). `secret` is the API token:
 * sent in the URL under any name, it is refused too.
 */
export function refuseTokenInQuery(secret?: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const url = req.originalUrl ?? req.url;
    if (redactUrl(url, secret) === url) return next();
    res.status(401).json({
      statusCode: 401,
      message: 'Send the API token in the Authorization: Bearer header, never in the URL',
    });
  };
}
