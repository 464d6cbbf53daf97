import type { NextFunction, Request, Response } from 'express';
import { REDACTED, redactValues } from './redact.js';

/**
 * Query parameters a client might put a token in, by name once decoded, lower-cased, `-` read as
 * `_`, a leading `x_` and a trailing `[…]` dropped (`token[]=`, `X-Api-Key=`).
 */
const TOKEN_PARAMS = /^(access_token|token|api_token|apitoken|api_key|apikey|private_token|bearer|auth_token|auth)$/;

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

function isTokenName(name: string): boolean {
  const normal = safeDecode(name)
    .toLowerCase()
    .replaceAll('-', '_')
    .replace(/\[[^\]]*\]$/, '')
    .replace(/^x_/, '');
  return TOKEN_PARAMS.test(normal);
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
