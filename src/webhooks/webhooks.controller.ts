import { Controller, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { StreamedBody } from '../common/streamed-routes.js';
import { GithubSignatureGuard } from './github-signature.guard.js';
import { WebhookExceptionFilter } from './webhook-exception.filter.js';
import { Delivery, type WebhookDelivery } from './webhook-delivery.js';
import { WebhooksService, type WebhookAnswer } from './webhooks.service.js';

/**
 * GitHub's deliveries. The body is left unread for the guard (@StreamedBody), which verifies it as
 * it arrives. With WEBHOOK_FAST_PATH=on (the default) the route is served ahead of express by a
 * listener derived from this class's metadata, running this guard, filter and handler.
 * Described in the OpenAPI document by hand (src/docs/openapi.ts): its contract is in headers.
 */
@ApiExcludeController()
@StreamedBody()
@Controller('api/v1/webhooks')
@UseFilters(WebhookExceptionFilter)
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post('github')
  @HttpCode(200)
  @UseGuards(GithubSignatureGuard)
  receive(@Delivery() delivery: WebhookDelivery): Promise<WebhookAnswer> {
    return this.webhooks.receive(delivery);
  }
}
