import type { INestApplication } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { deferContinue } from './common/body-reader.js';
import { limitConnections } from './common/connection-limits.js';
import { HttpDrain } from './common/http-drain.js';
import { serveWebUi } from './web-ui.js';
import { jsonNestsDeeperThan } from './common/json-depth.js';
import { refuseTokenInQuery } from './common/query-token.js';
import { StreamedRoutes } from './common/streamed-routes.js';
import { servesApi } from './app.module.js';
import { appConfig, webhooksConfig } from './config/index.js';
import { setupOpenApi } from './docs/openapi.js';

const MANAGEMENT_PATHS = ['/api/v1/repos', '/api/v1/events', '/api/v1/stats', '/api/v1/session', '/metrics'];
/** Management requests are small; a cap and a nesting limit keep validation cheap and safe. */
const API_BODY_LIMIT = '1mb';
const API_MAX_DEPTH = 32;

/**
 * HTTP setup shared by main.ts and the e2e tests (which never run main.ts), so both serve the
 * same parsers, headers and limits. The app must be created with `bodyParser: false`.
 */
export function configureApp(app: INestApplication): void {
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  const server = app as NestExpressApplication;
  const httpServer: Server = server.getHttpServer();
  const streamed = servesApi(config.role) ? StreamedRoutes.discover(app) : new StreamedRoutes([]);
  server.disable('x-powered-by');
  server.set('trust proxy', config.trustProxy);
  // Routes that read their own body (the webhook) are answered ahead of express: they are the hot
  // path, and need none of the headers, limits or parsers below.
  if (app.get<ConfigType<typeof webhooksConfig>>(webhooksConfig.KEY).fastPath) serveStreamedFirst(httpServer, streamed);
  answerContinueLate(httpServer, streamed);
  // Security headers protect browsers.
  server.use(helmet());
  if (servesApi(config.role)) serveWebUi(server);
  // The API description (Swagger UI), for processes that serve the API.
  if (servesApi(config.role)) setupOpenApi(app);
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
  // A token in the URL is refused (and redacted from the request log).
  server.use(skipStreamed(streamed, refuseTokenInQuery(config.apiToken)));
  const verify = (_req: unknown, _res: unknown, body: Buffer) => {
    if (jsonNestsDeeperThan(body, API_MAX_DEPTH))
      throw Object.assign(new Error('Request body is nested too deeply'), { status: 400, type: 'entity.too.deep' });
  };
  server.use(skipStreamed(streamed, express.json({ limit: API_BODY_LIMIT, verify })));
  server.use(skipStreamed(streamed, express.urlencoded({ limit: API_BODY_LIMIT, extended: false })));
  limitConnections(httpServer, {
    keepAliveMs: config.keepAliveMs,
    maxConnections: app.get<ConfigType<typeof webhooksConfig>>(webhooksConfig.KEY).maxConnections,
  });
  // After serveStreamedFirst, which takes over the server's first request listener (express's).
  app.get(HttpDrain).attach(httpServer);
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Streamed routes go to their derived handler before express sees the request; the rest to express. */
function serveStreamedFirst(httpServer: Server, streamed: StreamedRoutes): void {
  if (streamed.routes.length === 0) return;
  const [expressApp] = httpServer.listeners('request') as Listener[];
  httpServer.removeListener('request', expressApp);
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const route = streamed.find(req);
    if (route) route.serve(req, res);
    else expressApp(req, res);
  });
}

/**
 * `Expect: 100-continue` on a streamed route is answered only when its guard starts reading the
 * body (through readBody or not), so a request refused at its headers never gets a `100 Continue`;
 * elsewhere, at once, as node does by default.
 */
function answerContinueLate(httpServer: Server, streamed: StreamedRoutes): void {
  httpServer.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (streamed.find(req)) deferContinue(req, res);
    else res.writeContinue();
    httpServer.emit('request', req, res);
  });
}

/** Middleware that leaves streamed routes alone: their bodies are read by their guards. */
function skipStreamed(streamed: StreamedRoutes, middleware: express.RequestHandler): express.RequestHandler {
  return (req, res, next) => (streamed.find(req) ? next() : middleware(req, res, next));
}
