// Builds the real AppModule against a fresh database on the run's Postgres, a private queue prefix
// on the run's Redis and a fake GitHub. Tests never run main.ts; configureApp gives them the same
// parsers and headers.
import type { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDatabase } from '../../scripts/services.js';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { FakeGitHub } from './fake-github.js';

export const API_TOKEN = 'test-api-token-0123456789abcdef';
export const SECRETS_KEY = randomBytes(32).toString('base64');

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  db: DataSource;
  github: FakeGitHub;
  env: Record<string, string>;
  auth: { Authorization: string };
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string | undefined>;
  role?: 'api' | 'worker' | 'all';
  /** Reuse the database/prefix/fake GitHub of another app (several processes over one store). */
  shareWith?: TestApp;
  /** The port to listen on, on 127.0.0.1 (default: any free one). */
  port?: number;
  /** Modules served beside the app's (an extension's controller, as a fixture). */
  modules?: Type[];
}

/** A fresh database name and queue prefix for one test file (or one scenario). */
export async function freshStore(): Promise<{ databaseUrl: string; prefix: string }> {
  const name = `nectr_${randomBytes(6).toString('hex')}`;
  const databaseUrl = await createDatabase(process.env.NECTR_TEST_DATABASE_URL!, name);
  return { databaseUrl, prefix: `t_${name}` };
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const github = options.shareWith?.github ?? (await new FakeGitHub().start());
  const store = options.shareWith
    ? { databaseUrl: options.shareWith.env.DATABASE_URL, prefix: options.shareWith.env.QUEUE_PREFIX }
    : await freshStore();
  const env: Record<string, string> = {
    APP_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: store.databaseUrl,
    REDIS_URL: process.env.NECTR_TEST_REDIS_URL!,
    QUEUE_PREFIX: store.prefix,
    API_TOKEN,
    SECRETS_KEY,
    GITHUB_TOKEN: github.token,
    GITHUB_API_URL: github.url,
    GITHUB_RETRY_BASE_MS: '50',
    GITHUB_WRITE_INTERVAL_MS: '0',
    BACKEND_URL: 'https://nectr.example.test',
    REVIEW_BACKOFF_MS: '200',
    PROCESS_ROLE: options.role ?? 'all',
    API_RATE_LIMIT_PER_MINUTE: '100000',
    DELIVERY_RECOVERY_INTERVAL_MINUTES: '0',
  };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const saved = { ...process.env };
  for (const key of Object.keys(env)) process.env[key] = env[key];
  for (const [key, value] of Object.entries(options.env ?? {})) if (value === undefined) delete process.env[key];
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRole(options.role ?? 'all'), ...(options.modules ?? [])],
    }).compile();
    const app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
    configureApp(app);
    app.enableShutdownHooks();
    await app.init();
    await app.listen(options.port ?? 0, '127.0.0.1');
    const db = app.get(DataSource);
    return {
      app,
      http: request(app.getHttpServer()),
      db,
      github,
      env,
      auth: { Authorization: `Bearer ${API_TOKEN}` },
      async close() {
        await app.close();
        if (!options.shareWith) await github.stop();
      },
    };
  } finally {
    process.env = saved;
  }
}

/** Polls `check` until it returns a truthy value or the time runs out. */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = String(error);
    }
    if (Date.now() > deadline) throw new Error(`waitFor timed out${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
