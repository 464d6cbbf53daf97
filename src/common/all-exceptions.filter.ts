import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { isDatabaseUnavailable } from './database-errors.js';

/**
 * Every error leaves as JSON `{statusCode, message}`. HTTP errors keep their status and message;
 * errors from body parsing (they carry a 4xx `status`) keep theirs; Postgres being unreachable is
 * a 503; anything else is logged and answered as a 500 without internals.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { statusCode, message, extra } = this.describe(exception);
    if (response.headersSent) return;
    response.status(statusCode).json({ ...extra, statusCode, message });
  }

  private describe(exception: unknown): { statusCode: number; message: string | string[]; extra?: object } {
    if (exception instanceof HttpException) {
      // Nest wraps body-parser failures in an HttpException; their `type` gives a clearer message.
      const cause = exception.cause as (Error & { type?: string }) | undefined;
      if (typeof cause?.type === 'string') return { statusCode: exception.getStatus(), message: clientErrorMessage(cause) };
      const body = exception.getResponse();
      if (typeof body === 'string') return { statusCode: exception.getStatus(), message: body };
      // Extra fields a handler chose to send (health details, for one) pass through; `error` from
      // Nest's built-in exceptions ("Bad Request") only repeats the status, so it is dropped.
      const { message, error, statusCode: _status, ...extra } = body as { message?: string | string[]; error?: unknown; statusCode?: number };
      const keepError = typeof error === 'object' && error !== null ? { error } : {};
      return { statusCode: exception.getStatus(), message: message ?? exception.message, extra: { ...extra, ...keepError } };
    }
    const status = (exception as { status?: unknown; statusCode?: unknown } | null)?.status ?? (exception as { statusCode?: unknown } | null)?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { statusCode: status, message: clientErrorMessage(exception as Error & { type?: string }) };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.error(`Database unavailable: ${(exception as Error).message}`);
      return { statusCode: HttpStatus.SERVICE_UNAVAILABLE, message: 'Database unavailable, try again later' };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error' };
  }
}

function clientErrorMessage(error: Error & { type?: string }): string {
  switch (error.type) {
    case 'entity.too.large':
      return 'Request body is too large';
    case 'entity.too.deep':
      return 'Request body is nested too deeply';
    case 'entity.parse.failed':
      return 'Request body is not valid JSON';
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return 'Unsupported request body encoding';
    default:
      return error.message || 'Bad request';
  }
}
