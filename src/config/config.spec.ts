import { afterEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  appConfig,
  assertConfig,
  ConfigError,
  databaseConfig,
  eventsConfig,
  githubConfig,
  redisConfig,
  repoConfigConfig,
  reviewConfig,
  secretsConfig,
  webhooksConfig,
} from './index.js';

const saved = { ...process.env };
const KEY = randomBytes(32).toString('base64');
const VALID = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/nectr',
  REDIS_URL: 'redis://localhost:6379',
};

function setEnv(env: Record<string, string | undefined>): void {
  process.env = { PATH: saved.PATH };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) process.env[k] = v;
}

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  afterEach(() => {
    process.env = { ...saved };
  });

  it('applies the documented defaults', () => {
    setEnv(VALID);
    expect(appConfig()).toMatchObject({
      port: 3000,
      env: 'development',
      backendUrl: 'http://localhost:3000',
      role: 'all',
      keepAliveMs: 65_000,
    });
    expect(githubConfig()).toMatchObject({ apiUrl: 'https://api.github.com', token: undefined });
    expect(reviewConfig()).toMatchObject({ engine: 'builtin', concurrency: 2 });
    expect(eventsConfig()).toMatchObject({ dedupeWindowMinutes: 60, retentionDays: 30 });
    expect(secretsConfig().ephemeral).toBe(true);
  });

  it("applies every default README's configuration table documents", () => {
    setEnv(VALID);
    expect(appConfig()).toMatchObject({ logLevel: 'info', rateLimitPerMinute: 300, keepAliveMs: 65_000 });
    expect(databaseConfig()).toMatchObject({ poolSize: 10 });
    expect(redisConfig()).toMatchObject({ prefix: 'nectr', lockMs: 30_000 });
    expect(reviewConfig()).toMatchObject({ concurrency: 2, attempts: 5, backoffMs: 5000 });
    expect(githubConfig()).toMatchObject({ retryBaseMs: 1000, writeIntervalMs: 1000, timeoutMs: 15_000 });
    expect(secretsConfig()).toMatchObject({ rotationGraceSeconds: 3600 });
    expect(repoConfigConfig()).toMatchObject({ missingTtlMs: 60_000 });
    expect(eventsConfig()).toEqual({
      dedupeWindowMinutes: 60,
      retentionDays: 30,
      sweepIntervalSeconds: 30,
      stuckAfterSeconds: 600,
      recoveryIntervalMinutes: 60,
    });
    expect(webhooksConfig()).toEqual({
      fastPath: true,
      unverifiedBudgetBytes: 256 * 1024 * 1024,
      minBytesPerSecond: 64 * 1024,
      maxConnections: 8000,
    });
  });

  it("reads exactly the variables README's configuration tables list", () => {
    const read = new Set<string>();
    const env: NodeJS.ProcessEnv = { PATH: saved.PATH, ...VALID };
    process.env = new Proxy(env, {
      get: (target, name) => {
        if (typeof name === 'string' && /^[A-Z][A-Z0-9_]+$/.test(name) && name !== 'PATH') read.add(name);
        return Reflect.get(target, name) as unknown;
      },
    });
    assertConfig();

    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Configuration\n'), readme.indexOf('\n## Production\n'));
    const documented = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...line.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
    expect(documented.sort()).toEqual([...read].sort());
  });

  it('reads TRUST_PROXY as a hop count or a list of addresses (loopback by default)', () => {
    setEnv(VALID);
    expect(appConfig().trustProxy).toEqual(['loopback']);
    setEnv({ ...VALID, TRUST_PROXY: '1' });
    expect(appConfig().trustProxy).toBe(1);
    setEnv({ ...VALID, TRUST_PROXY: ' 10.0.0.0/8, loopback ,2001:db8::/32' });
    expect(appConfig().trustProxy).toEqual(['10.0.0.0/8', 'loopback', '2001:db8::/32']);
  });

  it('derives BACKEND_URL from PORT and reads numbers', () => {
    setEnv({ ...VALID, PORT: '8080', REVIEW_CONCURRENCY: '5', DEDUPE_WINDOW_MINUTES: '15' });
    expect(appConfig().backendUrl).toBe('http://localhost:8080');
    expect(reviewConfig().concurrency).toBe(5);
    expect(eventsConfig().dedupeWindowMinutes).toBe(15);
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid configuration: PORT must be an integer number$/],
    [{ REVIEW_CONCURRENCY: 'two' }, /^Invalid configuration: REVIEW_CONCURRENCY must be an integer number$/],
    [{ APP_ENV: 'staging' }, /APP_ENV must be one of/],
    [{ PROCESS_ROLE: 'both' }, /^Invalid configuration: PROCESS_ROLE /],
    [{ REVIEW_ENGINE: 'gpt' }, /^Invalid configuration: REVIEW_ENGINE /],
    [{ REVIEW_CONCURRENCY: '0' }, /^Invalid configuration: REVIEW_CONCURRENCY /],
    [{ DEDUPE_WINDOW_MINUTES: '-5' }, /^Invalid configuration: DEDUPE_WINDOW_MINUTES /],
    [{ GITHUB_API_URL: 'not a url' }, /^Invalid configuration: GITHUB_API_URL /],
    [{ BACKEND_URL: 'ftp://x' }, /^Invalid configuration: BACKEND_URL /],
    [{ SECRETS_KEY: randomBytes(16).toString('base64') }, /^Invalid configuration: SECRETS_KEY must be 32 bytes/],
    [{ DATABASE_URL: 'mysql://x' }, /^Invalid configuration: DATABASE_URL must start with postgres/],
    [{ REDIS_URL: 'localhost:6379' }, /^Invalid configuration: REDIS_URL must start with redis/],
    [{ REVIEW_ENGINE: 'anthropic' }, /ANTHROPIC_API_KEY is required when REVIEW_ENGINE=anthropic/],
    [{ API_TOKEN: 'short' }, /API_TOKEN must be at least 16 characters/],
    [{ HTTP_KEEP_ALIVE_SECONDS: '0' }, /^Invalid configuration: HTTP_KEEP_ALIVE_SECONDS /],
    [{ TRUST_PROXY: 'true' }, /^Invalid configuration: TRUST_PROXY cannot be "true"; give a hop count/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /^Invalid configuration: TRUST_PROXY is not a list of addresses: /],
    [{ TRUST_PROXY: 'my-balancer' }, /^Invalid configuration: TRUST_PROXY is not a list of addresses: /],
  ])('rejects %j with one line naming the variable', (env, pattern) => {
    setEnv({ ...VALID, ...env });
    const message = configError(assertConfig);
    expect(message).toMatch(pattern);
    expect(message).not.toContain('\n');
  });

  it.each([
    [{ REDIS_URL: 'redis://:redis-s3cret@127.0.0.1:99999' }, /^Invalid configuration: REDIS_URL is not a valid URL /],
    [{ REDIS_URL: 'redis://:redis%zzs3cret@127.0.0.1:6379' }, /^Invalid configuration: REDIS_URL is not a valid URL /],
    [{ REDIS_URL: 'redis://:redis-s3cret@127.0.0.1:6379/abc' }, /^Invalid configuration: REDIS_URL may end with /],
    [{ DATABASE_URL: 'postgres://u:db-s3cret@[::1/nectr' }, /^Invalid configuration: DATABASE_URL is not a valid URL /],
    [
      { DATABASE_URL: 'postgres://u:db%zzs3cret@localhost/nectr' },
      /^Invalid configuration: DATABASE_URL is not a valid URL /,
    ],
  ])('rejects the malformed connection URL %j in one line without its password', (env, pattern) => {
    setEnv({ ...VALID, ...env });
    const message = configError(assertConfig);
    expect(message).toMatch(pattern);
    expect(message).not.toContain('\n');
    expect(message).not.toContain('s3cret');
  });

  it('takes a DATABASE_URL naming a Unix socket in its query, with a user and no host (as pg reads it)', () => {
    setEnv({ ...VALID, DATABASE_URL: 'postgres://nectr:s3cret@/nectr?host=/cloudsql/proj:region:db' });
    expect(() => assertConfig()).not.toThrow();
    expect(databaseConfig().url).toBe('postgres://nectr:s3cret@/nectr?host=/cloudsql/proj:region:db');
    setEnv({ ...VALID, DATABASE_URL: 'postgres://nectr:db%zzs3cret@/nectr?host=/var/run/postgresql' });
    expect(configError(assertConfig)).toMatch(/^Invalid configuration: DATABASE_URL is not a valid URL /);
  });

  it('requires DATABASE_URL and REDIS_URL', () => {
    setEnv({ REDIS_URL: VALID.REDIS_URL });
    expect(configError(databaseConfig)).toMatch(/DATABASE_URL is required/);
    setEnv({ DATABASE_URL: VALID.DATABASE_URL });
    expect(configError(assertConfig)).toMatch(/REDIS_URL is required/);
  });

  it('refuses production without SECRETS_KEY or API_TOKEN, and boots with both', () => {
    setEnv({ ...VALID, APP_ENV: 'production', API_TOKEN: 'a'.repeat(32) });
    expect(configError(assertConfig)).toBe('Invalid configuration: SECRETS_KEY is required when APP_ENV=production');
    setEnv({ ...VALID, APP_ENV: 'production', SECRETS_KEY: KEY });
    expect(configError(assertConfig)).toBe('Invalid configuration: API_TOKEN is required when APP_ENV=production');
    setEnv({ ...VALID, APP_ENV: 'production', SECRETS_KEY: KEY, API_TOKEN: 'a'.repeat(32) });
    expect(() => assertConfig()).not.toThrow();
    expect(secretsConfig()).toMatchObject({ ephemeral: false, key: Buffer.from(KEY, 'base64') });
  });

  it('reads SECRETS_KEY_PREVIOUS as one key or a list, refusing a malformed one without printing it', () => {
    const [a, b] = [randomBytes(32), randomBytes(32)];
    setEnv({ ...VALID, SECRETS_KEY: KEY });
    expect(secretsConfig().previousKeys).toEqual([]);
    setEnv({ ...VALID, SECRETS_KEY: KEY, SECRETS_KEY_PREVIOUS: a.toString('base64') });
    expect(secretsConfig().previousKeys).toEqual([a]);
    setEnv({ ...VALID, SECRETS_KEY: KEY, SECRETS_KEY_PREVIOUS: `${a.toString('base64')}, ${b.toString('base64')}` });
    expect(secretsConfig().previousKeys).toEqual([a, b]);
    const short = randomBytes(16).toString('base64');
    for (const bad of [short, `${a.toString('base64')},${short}`, 'not base64!']) {
      setEnv({ ...VALID, SECRETS_KEY: KEY, SECRETS_KEY_PREVIOUS: bad });
      const message = configError(assertConfig);
      expect(message).toMatch(/^Invalid configuration: SECRETS_KEY_PREVIOUS must be one or more keys of 32 bytes/);
      expect(message).not.toContain(short);
    }
    setEnv({ ...VALID, SECRETS_KEY_PREVIOUS: a.toString('base64') });
    expect(configError(assertConfig)).toBe(
      'Invalid configuration: SECRETS_KEY_PREVIOUS needs SECRETS_KEY (the key values move to)',
    );
  });

  it('treats empty variables as unset', () => {
    setEnv({ ...VALID, PORT: '', GITHUB_API_URL: '' });
    expect(appConfig().port).toBe(3000);
    expect(githubConfig().apiUrl).toBe('https://api.github.com');
  });
});
