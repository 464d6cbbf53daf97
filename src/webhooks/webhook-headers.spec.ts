import { describe, expect, it } from '@jest/globals';
import type { IncomingHttpHeaders } from 'node:http';
import { checkHeaders } from './webhook-headers.js';

const check = (headers: IncomingHttpHeaders, distinct: Record<string, string[]> = {}) => {
  for (const [name, value] of Object.entries(headers)) distinct[name] ??= [String(value)];
  return checkHeaders(headers, distinct);
};
const refusal = (headers: IncomingHttpHeaders, distinct?: Record<string, string[]>) => {
  try {
    check(headers, distinct);
  } catch (error) {
    const e = error as { getStatus(): number; message: string };
    return { status: e.getStatus(), message: e.message };
  }
  throw new Error('not refused');
};

describe('checkHeaders', () => {
  it('compares the target type case-insensitively and ignores other targets', () => {
    expect(check({ 'x-github-hook-installation-target-type': 'Repository', 'x-github-hook-id': '5' })).toEqual({
      kind: 'hook',
      hookId: 5,
    });
    expect(check({ 'x-github-hook-installation-target-type': 'integration' })).toEqual({ kind: 'ignored' });
  });

  it('refuses a target type sent twice', () => {
    const target = 'x-github-hook-installation-target-type';
    expect(refusal({ [target]: 'repository, repository' }, { [target]: ['repository', 'repository'] })).toEqual({
      status: 400,
      message: 'X-GitHub-Hook-Installation-Target-Type was sent more than once',
    });
  });

  it('refuses compressed bodies, oversized ones, malformed hook ids and large bodies without a hook id', () => {
    expect(refusal({ 'content-encoding': 'gzip', 'x-github-hook-id': '5' }).status).toBe(415);
    expect(check({ 'content-encoding': 'identity', 'x-github-hook-id': '5' }).kind).toBe('hook');
    expect(refusal({ 'content-length': String(25 * 1024 * 1024 + 1), 'x-github-hook-id': '5' }).status).toBe(413);
    expect(refusal({ 'x-github-hook-id': 'abc' })).toEqual({ status: 403, message: 'Unknown webhook' });
    expect(refusal({ 'x-github-hook-id': '0' }).status).toBe(403);
    expect(refusal({ 'content-length': String(2 * 1024 * 1024) })).toEqual({ status: 403, message: 'Unknown webhook' });
    expect(check({ 'content-length': '1000' })).toEqual({ kind: 'repository' });
  });
});
