import { BadRequestException, Injectable } from '@nestjs/common';
import express from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PinoLogger } from 'nestjs-pino';
import { errorResponse } from '../common/error-response.js';
import { TurnQueue } from '../common/turn-queue.js';
import { EventsService } from '../events/events.service.js';
import { InstallationsService } from '../installations/installations.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { factsOf, parseDelivery, PayloadError } from './webhook-payload.js';
import { header, WebhookRefused, WebhookVerifier } from './webhook-verifier.js';

/** GitHub caps webhook payloads at 25 MB; Nest's 100 kB default would reject real pull requests. */
export const BODY_LIMIT = '25mb';

const EVENT_NAME = /^[a-z][a-z_]{0,63}$/;
const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;

interface Answer {
  statusCode: number;
  body: object;
  /** The label in nectr_webhooks_total. */
  result: string;
  eventType?: string;
}

/**
 * `POST /api/v1/webhooks/github`, the one hot path. It is served by this node:http handler, which
 * configureApp puts ahead of express, rather than by a Nest controller: GitHub sends bursts, and
 * Nest's router, guard, interceptor and filter layers plus a pino-http child logger per request
 * cost more CPU than the work itself, and express's own router and request set-up a tenth of the
 * rest (benchmark in the README). It still answers the way the rest of the API does
 * (errorResponse), counts every delivery in the metrics and logs one line per delivery at `info`.
 */
@Injectable()
export class WebhookHandler {
  /** The body stays raw bytes: the signature is checked over exactly what GitHub sent. */
  private readonly readBody = express.raw({ type: () => true, limit: BODY_LIMIT });
  private readonly turns = new TurnQueue();

  constructor(
    private readonly verifier: WebhookVerifier,
    private readonly events: EventsService,
    private readonly installations: InstallationsService,
    private readonly metrics: MetricsService,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('Webhooks');
  }

  readonly handle = (req: IncomingMessage & { body?: unknown }, res: ServerResponse): void => {
    const startedAt = performance.now();
    // body-parser needs only node's request and response.
    this.readBody(req, res, (error?: Error) => {
      // The CPU-heavy part (signature, JSON, compression) runs one delivery per loop turn, after a
      // poll for I/O: an insert's result that came in meanwhile is read at once and the next batch
      // goes to Postgres, instead of waiting behind every delivery that arrived with it. Measured
      // with `npm run bench`: +15-25% deliveries/s for running it outside the read callback, ~8%
      // more for one delivery per turn rather than all that were read in one.
      this.turns.push(() => {
        // No body at all leaves req.body unset: that is zero bytes to sign and to parse.
        const received = error
          ? Promise.reject(error)
          : this.receive(req, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
        received
          .catch((failure: unknown) => this.refusal(failure))
          .then((answer) => this.send(req, res, answer, startedAt))
          .catch((failure: unknown) => this.lastResort(res, failure));
      });
    });
  };

  /** Answering itself failed (nothing in send is expected to throw): a 500, never a hung request. */
  private lastResort(res: ServerResponse, failure: unknown): void {
    this.logger.error(
      `Webhook answer failed: ${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}`,
    );
    if (res.headersSent) return void res.destroy();
    res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ statusCode: 500, message: 'Internal server error' }));
  }

  /** Steps 1–5 of the contract for a delivery whose bytes are all in. */
  private async receive(req: IncomingMessage, raw: Buffer): Promise<Answer> {
    const verified = await this.verifier.verify(req.headers, raw);
    if (verified.ignored) return { statusCode: 200, body: { status: 'ignored' }, result: 'ignored' };
    const event = header(req.headers, 'x-github-event');
    const deliveryId = header(req.headers, 'x-github-delivery');
    if (!event || !EVENT_NAME.test(event))
      throw new BadRequestException('X-GitHub-Event header is missing or malformed');
    if (!deliveryId || !DELIVERY_ID.test(deliveryId))
      throw new BadRequestException('X-GitHub-Delivery header is missing or malformed');
    let parsed = verified.parsed;
    try {
      parsed ??= parseDelivery(raw, header(req.headers, 'content-type'));
    } catch (error) {
      if (error instanceof PayloadError) throw new BadRequestException(error.message);
      throw error;
    }
    const { installation } = verified;
    const facts = factsOf(event, parsed.body);
    // Spelled out: an object spread followed by more properties takes V8's slow path (1–3 µs).
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
      ? {
          statusCode: 200,
          body: { status: 'received', event_id: stored.eventId, event_type: stored.eventType },
          result: 'received',
          eventType: stored.eventType,
        }
      : {
          statusCode: 200,
          body: { status: 'duplicate_skipped', event_id: stored.eventId },
          result: 'duplicate_skipped',
        };
  }

  private refusal(error: unknown): Answer {
    const { statusCode, body } = errorResponse(error, this.logger);
    const result = error instanceof WebhookRefused ? error.result : byStatus(statusCode);
    return { statusCode, body, result };
  }

  private send(req: IncomingMessage, res: ServerResponse, answer: Answer, startedAt: number): void {
    this.metrics.webhook(answer.result, answer.eventType);
    const ms = Math.round(performance.now() - startedAt);
    this.logger.info(
      {
        delivery: header(req.headers, 'x-github-delivery'),
        event: header(req.headers, 'x-github-event'),
        statusCode: answer.statusCode,
        result: answer.result,
        ms,
      },
      'webhook',
    );
    if (res.headersSent) return;
    const json = JSON.stringify(answer.body);
    res.writeHead(answer.statusCode, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(json),
    });
    res.end(json);
  }
}

function byStatus(status: number): string {
  if (status === 400 || status === 413 || status === 415) return 'bad_request';
  if (status === 503) return 'unavailable';
  return `status_${status}`;
}
