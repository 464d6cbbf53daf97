import { describe, expect, it } from '@jest/globals';
import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { appConfig } from '../config/index.js';
import { ApiTokenGuard } from './api-token.guard.js';
import type { SessionsService } from './sessions.service.js';
import type { Session } from './session.entity.js';

const TOKEN = 'right-token-0123456789';
const LIVE = 'live-session-cookie';
const CSRF = 'csrf-of-live-session';

function context(headers: Record<string, string | undefined>, method = 'GET'): ExecutionContext {
  return {
    switchToHttp: () => ({ getRequest: () => ({ method, headers }) }),
  } as unknown as ExecutionContext;
}

const bearer = (authorization?: string) => context({ authorization });
const cookie = (value: string, method = 'GET', csrf?: string) =>
  context({ cookie: `other=1; nectr_session=${value}`, 'x-csrf-token': csrf }, method);

// Stands in for the sessions table: the guard's own logic is what is tested here (the table is
// exercised for real in test/web-session.e2e-spec.ts).
const sessions = {
  find: (value: string) => Promise.resolve(value === LIVE ? ({ csrfToken: CSRF } as Session) : null),
  csrfMatches: (session: Session, header: unknown) => header === session.csrfToken,
} as unknown as SessionsService;

function guard(apiToken?: string) {
  const app = { apiToken } as ConfigType<typeof appConfig>;
  return new ApiTokenGuard(app, sessions);
}

describe('ApiTokenGuard', () => {
  it('lets the right bearer token in', async () => {
    await expect(guard(TOKEN).canActivate(bearer(`Bearer ${TOKEN}`))).resolves.toBe(true);
    await expect(guard(TOKEN).canActivate(bearer(`bearer   ${TOKEN}`))).resolves.toBe(true);
  });

  it.each([undefined, '', TOKEN, `Basic ${TOKEN}`, 'Bearer wrong-token', `Bearer ${TOKEN}x`])(
    'refuses %p',
    async (header) => {
      await expect(guard(TOKEN).canActivate(bearer(header))).rejects.toThrow(UnauthorizedException);
    },
  );

  it('fails closed when API_TOKEN is not configured', async () => {
    await expect(guard(undefined).canActivate(bearer('Bearer anything'))).rejects.toThrow(
      'API_TOKEN is not configured',
    );
  });

  it('lets a live session read, and write only with its CSRF token', async () => {
    await expect(guard(TOKEN).canActivate(cookie(LIVE))).resolves.toBe(true);
    await expect(guard(TOKEN).canActivate(cookie(LIVE, 'POST', CSRF))).resolves.toBe(true);
    await expect(guard(TOKEN).canActivate(cookie(LIVE, 'POST'))).rejects.toThrow(ForbiddenException);
    await expect(guard(TOKEN).canActivate(cookie(LIVE, 'DELETE', 'wrong'))).rejects.toThrow(ForbiddenException);
  });

  it('goes by the bearer token when a request carries a cookie too (docs/web-ui.md: it keeps working for every route)', async () => {
    const both = (cookieValue: string, method: string) =>
      context({ authorization: `Bearer ${TOKEN}`, cookie: `nectr_session=${cookieValue}` }, method);
    await expect(guard(TOKEN).canActivate(both('signed-out', 'GET'))).resolves.toBe(true);
    await expect(guard(TOKEN).canActivate(both(LIVE, 'POST'))).resolves.toBe(true);
  });

  it('refuses an unknown or ended session', async () => {
    await expect(guard(TOKEN).canActivate(cookie('signed-out'))).rejects.toThrow('sign in again');
  });
});
