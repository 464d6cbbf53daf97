import type { NextFunction, Request, Response } from 'express';

/** Query parameters a client might put a token in. */
const TOKEN_PARAMS = /^(access_token|token|api_token|apitoken|api_key|apikey|private_token|bearer)$/i;

/** The URL as it may be logged: the value of any token-like query parameter replaced. */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  if (query === -1) return url;
  const redacted = url
    .slice(query + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      return eq !== -1 && TOKEN_PARAMS.test(safeDecode(name)) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, query)}?${redacted}`;
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
 * before anything checks it (the request log shows the URL redacted).
 */
export function refuseTokenInQuery(req: Request, res: Response, next: NextFunction): void {
  const url = req.originalUrl ?? req.url;
  if (redactUrl(url) === url) return next();
  res.status(401).json({
    statusCode: 401,
    message: 'Send the API token in the Authorization: Bearer header, never in the URL',
  });
}
