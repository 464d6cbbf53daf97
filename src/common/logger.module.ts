import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import { appConfig } from '../config/index.js';
import { redactUrl } from './query-token.js';
import { REDACTED } from './redact.js';

/** Paths pino blanks out wherever they appear: tokens, signatures and any secret-shaped field. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
  '*.secret',
  '*.webhookSecret',
  '*.token',
  '*.apiKey',
  'config.secret',
];

@Module({
  imports: [
    PinoLoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (app: ConfigType<typeof appConfig>) => ({
        pinoHttp: {
          level: app.logLevel,
          redact: { paths: REDACTED_PATHS, censor: REDACTED },
          // Request bodies are never logged; a line per request is enough and stays cheap.
          serializers: {
            req: (req: { id: unknown; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              // A token sent in the URL (refused), under any name, must not reach the log either.
              url: redactUrl(req.url, app.apiToken),
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          customLogLevel: (_req: unknown, res: { statusCode: number }, err?: Error) =>
            err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
          // For a 5xx that no error came with (the filter answered it), pino-http logs an Error of its
          // own, "failed with status code 503", whose stack points into pino-http: a stack trace that
          // says nothing, on every probe of /health while Redis is down. The line keeps its status.
          customErrorObject: (
            _req: unknown,
            res: { statusCode: number; err?: Error },
            error: Error,
            value: Record<string, unknown>,
          ) =>
            !res.err && error.message === `failed with status code ${res.statusCode}`
              ? { ...value, err: undefined }
              : value,
        },
      }),
    }),
  ],
})
export class LoggerModule {}
