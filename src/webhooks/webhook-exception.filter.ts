import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { PinoLogger } from 'nestjs-pino';
import { ClientGoneError } from '../common/body-reader.js';
import { errorResponse } from '../common/error-response.js';
import type { WebhookRequest } from './webhook-delivery.js';
import { WebhookRefused } from './webhook-headers.js';
import { WebhooksService } from './webhooks.service.js';

/**
 * A refused or failed delivery: counted, logged and answered as JSON `{statusCode, message}`. A
 * request whose body was not (all) read gets `Connection: close`: Nectr will not read the rest.
 */
@Catch()
export class WebhookExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('Webhooks');
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<WebhookRequest>();
    const res = host.switchToHttp().getResponse<ServerResponse>();
    if (exception instanceof ClientGoneError) {
      this.webhooks.record(req.headers, 499, 'aborted', req.webhookReceivedAt);
      return void res.destroy();
    }
    const { statusCode, body, headers } = errorResponse(exception, this.logger);
    const result = exception instanceof WebhookRefused ? exception.result : byStatus(statusCode);
    this.webhooks.record(req.headers, statusCode, result, req.webhookReceivedAt);
    if (res.headersSent) return void res.destroy();
    const json = JSON.stringify(body);
    res.writeHead(statusCode, {
      ...headers,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(json),
      ...(req.complete ? {} : { Connection: 'close' }),
    });
    res.end(json);
  }
}

function byStatus(status: number): string {
  if (status === 400 || status === 413 || status === 415) return 'bad_request';
  if (status === 503) return 'unavailable';
  return `status_${status}`;
}
