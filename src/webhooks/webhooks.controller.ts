import { BadRequestException, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { EventsService } from '../events/events.service.js';
import { InstallationsService } from '../installations/installations.service.js';
import type { WebhookOutcome } from '../metrics/webhook-metrics.middleware.js';
import { factsOf, parseDelivery, PayloadError } from './webhook-payload.js';
import { WebhookSignatureGuard, type WebhookRequest } from './webhook-signature.guard.js';

const EVENT_NAME = /^[a-z][a-z_]{0,63}$/;
const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;

@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly events: EventsService,
    private readonly installations: InstallationsService,
  ) {}

  /** Called by GitHub; answers within its 10 s, always as JSON. */
  @Post('github')
  @HttpCode(200)
  @UseGuards(WebhookSignatureGuard)
  async receive(@Req() req: WebhookRequest, @Res({ passthrough: true }) res: Response) {
    const webhook = req.webhook!;
    const outcome = res.locals as WebhookOutcome;
    if (webhook.ignored) {
      outcome.webhookResult = 'ignored';
      return { status: 'ignored' };
    }
    const event = req.header('x-github-event');
    const deliveryId = req.header('x-github-delivery');
    if (!event || !EVENT_NAME.test(event)) throw new BadRequestException('X-GitHub-Event header is missing or malformed');
    if (!deliveryId || !DELIVERY_ID.test(deliveryId)) throw new BadRequestException('X-GitHub-Delivery header is missing or malformed');
    let parsed = webhook.parsed;
    try {
      parsed ??= parseDelivery(webhook.raw, req.header('content-type'));
    } catch (error) {
      if (error instanceof PayloadError) throw new BadRequestException(error.message);
      throw error;
    }
    const { installation } = webhook;
    const result = await this.events.ingest({
      installationId: installation.id, repo: installation.fullName, deliveryId, githubEvent: event,
      ...factsOf(event, parsed.body), payloadJson: parsed.json,
    });
    if (event === 'ping' && result.status === 'received') await this.installations.markHookVerified(installation.id);
    outcome.webhookResult = result.status;
    outcome.webhookEventType = result.status === 'received' ? result.eventType : undefined;
    return result.status === 'received'
      ? { status: 'received', event_id: result.eventId, event_type: result.eventType }
      : { status: 'duplicate_skipped', event_id: result.eventId };
  }
}
