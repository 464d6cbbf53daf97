import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { ProcessRole } from './config/app.config.js';

export const WEBHOOK_PATH = '/api/v1/webhooks/github';
/** GitHub caps webhook payloads at 25 MB; Nest's 100 kB default would reject real pull requests. */
export const BODY_LIMIT = '25mb';

/**
 * HTTP setup shared by main.ts and the e2e tests (which never run main.ts), so both serve the
 * same parsers, headers and role restrictions. The app must be created with `bodyParser: false`.
 */
export function configureApp(app: INestApplication, role: ProcessRole): void {
  const server = app as NestExpressApplication;
  server.disable('x-powered-by');
  server.set('trust proxy', 'loopback');
  server.use(helmet());
  if (role === 'worker') {
    // A worker runs review jobs and serves only its health check and its own metrics.
    server.use((req: Request, res: Response, next: NextFunction) => {
      if (req.path === '/health' || req.path === '/metrics') return next();
      res.status(404).json({ statusCode: 404, message: 'This process runs with PROCESS_ROLE=worker and serves only /health and /metrics' });
    });
  }
  // The webhook body stays raw bytes: the signature is checked over exactly what GitHub sent, and
  // the body is parsed once, after the installation is known and the signature holds.
  server.use(WEBHOOK_PATH, express.raw({ type: () => true, limit: BODY_LIMIT }));
  server.use(express.json({ limit: BODY_LIMIT }));
  server.use(express.urlencoded({ limit: BODY_LIMIT, extended: false }));
}
