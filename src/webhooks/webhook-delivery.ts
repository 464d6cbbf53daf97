import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { VerifiedDelivery } from './webhook-verifier.js';

/** A delivery as the guard hands it to the controller. */
export interface WebhookDelivery {
  headers: IncomingHttpHeaders;
  /** performance.now() when the guard took the request, for the per-delivery log line. */
  receivedAt: number;
  verified: VerifiedDelivery;
}

export type WebhookRequest = IncomingMessage & { webhook?: WebhookDelivery; webhookReceivedAt?: number };

/** The delivery GithubSignatureGuard verified (the guard puts it on the request). */
export const Delivery = createParamDecorator((_data: unknown, context: ExecutionContext): WebhookDelivery => {
  const delivery = context.switchToHttp().getRequest<WebhookRequest>().webhook;
  if (!delivery) throw new Error('@Delivery() used on a route without GithubSignatureGuard');
  return delivery;
});
