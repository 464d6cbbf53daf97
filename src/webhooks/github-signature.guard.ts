import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { WebhookRequest } from './webhook-delivery.js';
import { WebhookVerifier } from './webhook-verifier.js';

/**
 * Steps 1–3 of the webhook contract (API.md): reads the raw body itself, so no body parser may run
 * before it (the route is marked @StreamedBody), and hands the verified delivery on as
 * `req.webhook` (the @Delivery() parameter). A refusal is thrown for WebhookExceptionFilter.
 */
@Injectable()
export class GithubSignatureGuard implements CanActivate {
  constructor(private readonly verifier: WebhookVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<WebhookRequest>();
    const receivedAt = performance.now();
    req.webhookReceivedAt = receivedAt;
    const verified = await this.verifier.verify(req, http.getResponse<ServerResponse>());
    req.webhook = { headers: req.headers, receivedAt, verified };
    return true;
  }
}
