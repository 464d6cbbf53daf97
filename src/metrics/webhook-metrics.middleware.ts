import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service.js';

/** What the webhook handlers tell the counter, through `res.locals`. */
export interface WebhookOutcome {
  webhookResult?: string;
  webhookEventType?: string;
}

/** Counts every webhook delivery once it has been answered, whatever answered it. */
@Injectable()
export class WebhookMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(_req: Request, res: Response, next: NextFunction): void {
    res.on('finish', () => {
      const locals = res.locals as WebhookOutcome;
      this.metrics.webhook(locals.webhookResult ?? byStatus(res.statusCode), locals.webhookEventType);
    });
    next();
  }
}

function byStatus(status: number): string {
  if (status === 400 || status === 413 || status === 415) return 'bad_request';
  if (status === 503) return 'unavailable';
  return `status_${status}`;
}
