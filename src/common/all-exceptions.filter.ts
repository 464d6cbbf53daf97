import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { errorResponse } from './error-response.js';

/** Every error a Nest route throws leaves as JSON `{statusCode, message}` (see errorResponse). */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { statusCode, body, headers } = errorResponse(exception, this.logger);
    if (response.headersSent) return;
    if (headers) response.set(headers);
    response.status(statusCode).json(body);
  }
}
