import type { INestApplication } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { HttpDrain } from './common/http-drain.js';
import { serveWebUi } from './web-ui.js';
import { jsonNestsDeeperThan } from './common/json-depth.js';
import { appConfig } from './config/index.js';
import { setupOpenApi } from './docs/openapi.js';
import { WebhookHandler } from './webhooks/webhook.handler.js';

export const WEBHOOK_PATH = '/api/v1/webhooks/github';
const MANAGEMENT_PATHS = ['/api/v1/repos', '/api/v1/events', '/api/v1/stats', '/api/v1/session', '/metrics'];
/** Management requests are small; a cap and a nesting limit keep validation cheap and safe. */
const API_BODY_LIMIT = '1mb';
const API_MAX_DEPTH = 32;

/**
 * HTTP setup shared by main.ts and the e2e tests (which never run main.ts), so both serve the
 * same parsers, headers, limits and role restrictions. The app must be created with `bodyParser: false`.
 */
export function configureApp(app: INestApplication): void {
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  const server = app as NestExpressApplication;
  server.disable('x-powered-by');
  server.set('trust proxy', 'loopback');
  if (config.role === 'worker') {
    // A worker runs review jobs and serves only its health check and its own metrics.
    server.use((req: Request, res: Response, next: NextFunction) => {
      if (req.path === '/health' || req.path === '/metrics') return next();
      res.status(404).json({
        statusCode: 404,
        message: 'This process runs with PROCESS_ROLE=worker and serves only /health and /metrics',
      });
    });
  } else {
    // The webhook is answered ahead of express: it is the hot path, and GitHub's calls need none
    // of the headers, limits or parsers below (see WebhookHandler).
    serveWebhooksFirst(server.getHttpServer(), app.get(WebhookHandler).handle);
  }
  // Security headers protect browsers.
  server.use(helmet());
  if (config.role !== 'worker') serveWebUi(server);
  // The API description (Swagger UI), for processes that serve the API.
  if (config.role !== 'worker') setupOpenApi(app);
  // The management API is rate limited per client address, before the token is checked, so token
  // guessing is limited too (express-rate-limit; @nestjs/throttler is CommonJS and cannot load
  // Nest 12's ES modules under jest). Webhooks are never limited: GitHub delivers in bursts.
  server.use(
    MANAGEMENT_PATHS,
    rateLimit({
      windowMs: 60_000,
      limit: config.rateLimitPerMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, res, _next, options) => {
        res.setHeader('Retry-After', Math.ceil(options.windowMs / 1000));
        res
          .status(429)
          .json({ statusCode: 429, message: 'Too many requests: slow down and retry after the Retry-After delay' });
      },
    }),
  );
  const verify = (_req: unknown, _res: unknown, body: Buffer) => {
    if (jsonNestsDeeperThan(body, API_MAX_DEPTH))
      throw Object.assign(new Error('Request body is nested too deeply'), { status: 400, type: 'entity.too.deep' });
  };
  server.use(express.json({ limit: API_BODY_LIMIT, verify }));
  server.use(express.urlencoded({ limit: API_BODY_LIMIT, extended: false }));
  const httpServer = server.getHttpServer();
  httpServer.keepAliveTimeout = config.keepAliveMs;
  // After serveWebhooksFirst, which takes over the server's first request listener (express's).
  app.get(HttpDrain).attach(httpServer);
}

/**
 * Routes `POST /api/v1/webhooks/github` to the handler before express sees the request; everything
 * else goes to express as before. Matches the path as express does: any case, an optional trailing
 * slash, any query string.
 */
function serveWebhooksFirst(httpServer: Server, handle: (req: IncomingMessage, res: ServerResponse) => void): void {
  const [expressApp] = httpServer.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  httpServer.removeListener('request', expressApp);
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST' && isWebhookPath(req.url ?? '')) handle(req, res);
    else expressApp(req, res);
  });
}

function isWebhookPath(url: string): boolean {
  const query = url.indexOf('?');
  const path = (query === -1 ? url : url.slice(0, query)).toLowerCase();
  return path === WEBHOOK_PATH || path === `${WEBHOOK_PATH}/`;
}
