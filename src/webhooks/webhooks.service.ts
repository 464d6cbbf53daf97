import { BadRequestException, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { TurnQueue } from '../common/turn-queue.js';
import { EventsService } from '../events/events.service.js';
import { InstallationsService } from '../installations/installations.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { WebhookDelivery } from './webhook-delivery.js';
import { header } from './webhook-headers.js';
import { factsOf, parseDelivery, PayloadError, type ParsedDelivery } from './webhook-payload.js';

// GitHub event names are lower-case words joined by `_`, digits included (`projects_v2_item`).
const EVENT_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;

export type WebhookAnswer =
  | { status: 'ignored' }
  | { status: 'received'; event_id: string; event_type: string }
  | { status: 'duplicate_skipped'; event_id: string };

/** Steps 4–5 of the contract for a verified delivery: parse, store, answer; one log line each. */
@Injectable()
export class WebhooksService {
  private readonly turns = new TurnQueue();

  constructor(
    private readonly events: EventsService,
    private readonly installations: InstallationsService,
    private readonly metrics: MetricsService,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('Webhooks');
  }

  async receive(delivery: WebhookDelivery): Promise<WebhookAnswer> {
    const { verified, headers } = delivery;
    if (verified.ignored) return this.answered(delivery, { status: 'ignored' }, 'ignored');
    const event = header(headers, 'x-github-event');
    const deliveryId = header(headers, 'x-github-delivery');
    if (!event || !EVENT_NAME.test(event))
      throw new BadRequestException('X-GitHub-Event header is missing or malformed');
    if (!deliveryId || !DELIVERY_ID.test(deliveryId))
      throw new BadRequestException('X-GitHub-Delivery header is missing or malformed');
    // The CPU-heavy part (JSON, compression) runs one delivery per loop turn, after a poll for I/O:
    // an insert's result that came in meanwhile is read at once and the next batch goes to
    // Postgres, instead of waiting behind every delivery that arrived with it.
    await this.turns.next();
    let parsed: ParsedDelivery;
    try {
      parsed = verified.parsed ?? parseDelivery(verified.raw, header(headers, 'content-type'));
    } catch (error) {
      if (error instanceof PayloadError) throw new BadRequestException(error.message);
      throw error;
    }
    const { installation } = verified;
    const facts = factsOf(event, parsed.body);
    // Spelled out: an object spread followed by more properties takes V8's slow path (docs/performance.md).
    const stored = await this.events.ingest({
      installationId: installation.id,
      repo: installation.fullName,
      deliveryId,
      githubEvent: event,
      action: facts.action,
      prNumber: facts.prNumber,
      headSha: facts.headSha,
      prUpdatedAt: facts.prUpdatedAt,
      reviewable: facts.reviewable,
      payloadBytes: parsed.bytes,
    });
    if (event === 'ping' && stored.status === 'received') await this.installations.markHookVerified(installation.id);
    return stored.status === 'received'
      ? this.answered(
          delivery,
          { status: 'received', event_id: stored.eventId, event_type: stored.eventType },
          'received',
          stored.eventType,
        )
      : this.answered(delivery, { status: 'duplicate_skipped', event_id: stored.eventId }, 'duplicate_skipped');
  }

  private answered(delivery: WebhookDelivery, answer: WebhookAnswer, result: string, eventType?: string) {
    this.record(delivery.headers, 200, result, delivery.receivedAt, eventType);
    return answer;
  }

  /** Counts a delivery in the metrics and logs its one line (WebhookExceptionFilter for refusals). */
  record(
    headers: WebhookDelivery['headers'],
    statusCode: number,
    result: string,
    receivedAt: number | undefined,
    eventType?: string,
  ): void {
    this.metrics.webhook(result, eventType);
    this.logger.info(
      {
        delivery: header(headers, 'x-github-delivery'),
        event: header(headers, 'x-github-event'),
        statusCode,
        result,
        ms: receivedAt === undefined ? undefined : Math.round(performance.now() - receivedAt),
      },
      'webhook',
    );
  }
}
