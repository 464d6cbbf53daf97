import { describe, expect, it } from '@jest/globals';
import { ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { ApiTokenGuard } from './api-token.guard.js';

const TOKEN = 'right-token-0123456789';

function context(authorization?: string): ExecutionContext {
  return {
    switchToHttp: () => ({ getRequest: () => ({ headers: { authorization } }) }),
  } as unknown as ExecutionContext;
}

function guard(apiToken?: string) {
  return new ApiTokenGuard({ apiToken } as never);
}

describe('ApiTokenGuard', () => {
  it('lets the right bearer token in', () => {
    expect(guard(TOKEN).canActivate(context(`Bearer ${TOKEN}`))).toBe(true);
    expect(guard(TOKEN).canActivate(context(`bearer   ${TOKEN}`))).toBe(true);
  });

  it.each([undefined, '', TOKEN, `Basic ${TOKEN}`, 'Bearer wrong-token', `Bearer ${TOKEN}x`])(
    'refuses %p',
    (header) => {
      expect(() => guard(TOKEN).canActivate(context(header))).toThrow(UnauthorizedException);
    },
  );

  it('fails closed when API_TOKEN is not configured', () => {
    expect(() => guard(undefined).canActivate(context('Bearer anything'))).toThrow('API_TOKEN is not configured');
  });
});
