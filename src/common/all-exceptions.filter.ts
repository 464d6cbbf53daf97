import { ArgumentsHost, Catch, ExceptionFilter, Inject, Logger, NotFoundException, Optional } from '@nestjs/common';
import type { Response } from 'express';
import { errorResponse } from './error-response.js';

/** When provided, a 404 says this instead of Nest's "Cannot GET /path" (a worker names its role). */
export const ROUTE_NOT_FOUND_MESSAGE = Symbol('ROUTE_NOT_FOUND_MESSAGE');

/** Every error a Nest route throws leaves as JSON `{statusCode, message}` (see errorResponse). */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  constructor(@Optional() @Inject(ROUTE_NOT_FOUND_MESSAGE) private readonly notFoundMessage?: string) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { statusCode, body, headers } =
      this.notFoundMessage && exception instanceof NotFoundException
        ? { statusCode: 404, body: { statusCode: 404, message: this.notFoundMessage }, headers: undefined }
        : errorResponse(exception, this.logger);
    if (response.headersSent) return;
    if (headers) response.set(headers);
    response.status(statusCode).json(body);
  }
}
