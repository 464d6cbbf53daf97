import { HttpException, HttpStatus } from '@nestjs/common';
import { isDatabaseUnavailable } from './database-errors.js';
import { RetryLaterException } from './retry-later.exception.js';

export interface ErrorResponse {
  statusCode: number;
  body: { statusCode: number; message: string | string[] } & Record<string, unknown>;
  /** Headers to answer with (`Retry-After`). */
  headers?: Record<string, string>;
}

export interface ErrorLogger {
  error(message: string): void;
}

const respond = (statusCode: number, message: string | string[], extra: object = {}): ErrorResponse => ({
  statusCode,
  body: { ...extra, statusCode, message },
});

/**
 * What every error leaves as: JSON `{statusCode, message}`. HTTP errors keep their status and
 * message; errors from body parsing (they carry a 4xx `status`) keep theirs; Postgres being
 * unreachable is a 503; a RetryLaterException adds `Retry-After`; anything else is logged and
 * answered as a 500 without internals.
 */
export function errorResponse(exception: unknown, logger: ErrorLogger): ErrorResponse {
  if (exception instanceof RetryLaterException) {
    return {
      ...respond(exception.getStatus(), exception.message),
      headers: { 'Retry-After': String(exception.retryAfterSeconds) },
    };
  }
  if (exception instanceof HttpException) {
    // Nest wraps body-parser failures in an HttpException; their `type` gives a clearer message.
    const cause = exception.cause as (Error & { type?: string }) | undefined;
    if (typeof cause?.type === 'string') return respond(exception.getStatus(), clientErrorMessage(cause));
    const body = exception.getResponse();
    if (typeof body === 'string') return respond(exception.getStatus(), body);
    // Extra fields a handler chose to send (health details, for one) pass through; `error` from
    // Nest's built-in exceptions ("Bad Request") only repeats the status, so it is dropped.
    const {
      message,
      error,
      statusCode: _status,
      ...extra
    } = body as { message?: string | string[]; error?: unknown; statusCode?: number };
    const keepError = typeof error === 'object' && error !== null ? { error } : {};
    return respond(exception.getStatus(), message ?? exception.message, { ...extra, ...keepError });
  }
  const status =
    (exception as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (exception as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return respond(status, clientErrorMessage(exception as Error & { type?: string }));
  }
  if (isDatabaseUnavailable(exception)) {
    logger.error(`Database unavailable: ${(exception as Error).message}`);
    return respond(HttpStatus.SERVICE_UNAVAILABLE, 'Database unavailable, try again later');
  }
  logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  return respond(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
}

function clientErrorMessage(error: Error & { type?: string; body?: unknown }): string {
  switch (error.type) {
    case 'entity.too.large':
      return 'Request body is too large';
    case 'entity.too.deep':
      return 'Request body is nested too deeply';
    case 'entity.parse.failed':
      // The parser is strict: valid JSON that is not an object or array (`null`, `"x"`) fails too.
      return isJsonText(error.body) ? 'Request body must be a JSON object' : 'Request body is not valid JSON';
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return 'Unsupported request body encoding';
    default:
      return error.message || 'Bad request';
  }
}

function isJsonText(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
