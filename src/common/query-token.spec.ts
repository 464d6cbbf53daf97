import { describe, expect, it, jest } from '@jest/globals';
import { redactUrl } from './query-token.js';

describe('redactUrl', () => {
  it('replaces the values of token-like query parameters, in any case, and keeps the rest', () => {
    expect(redactUrl('/api/v1/events?access_token=abc&status=failed')).toBe(
      '/api/v1/events?access_token=[redacted]&status=failed',
    );
    expect(redactUrl('/api/v1/repos?Token=abc')).toBe('/api/v1/repos?Token=[redacted]');
    expect(redactUrl('/metrics?api%5Fkey=abc')).toBe('/metrics?api%5Fkey=[redacted]');
    expect(redactUrl('/api/v1/events?repo=a/b&limit=5')).toBe('/api/v1/events?repo=a/b&limit=5');
    expect(redactUrl('/health')).toBe('/health');
  });

  it('reads array brackets, dashes and an x- prefix in the name', () => {
    expect(redactUrl('/a?token[]=abc')).toBe('/a?token[]=[redacted]');
    expect(redactUrl('/a?token%5B%5D=abc')).toBe('/a?token%5B%5D=[redacted]');
    expect(redactUrl('/a?api-token=abc')).toBe('/a?api-token=[redacted]');
    expect(redactUrl('/a?X-Api-Key=abc')).toBe('/a?X-Api-Key=[redacted]');
  });

  it('redacts the API token itself wherever it is in the URL, under any name', () => {
    const secret = 'sec-api-token-0123456789abcdef';
    expect(redactUrl(`/api/v1/repos?q=${secret}&limit=5`, secret)).toBe('/api/v1/repos?q=[redacted]&limit=5');
    expect(redactUrl(`/api/v1/repos;key=${secret}`, secret)).toBe('/api/v1/repos;key=[redacted]');
    expect(redactUrl(`/a?h=Bearer%20${secret}`, secret)).toBe('/a?h=Bearer%20[redacted]');
    expect(redactUrl('/a?q=other', secret)).toBe('/a?q=other');
  });

  it('reads a trailing […] as the old pattern did, for any name', () => {
    const old = (name: string) => name.replace(/\[[^\]]*\]$/, '');
    const names = [
      'token[0]',
      'token[a][]',
      'token[[x]',
      'a]token[]',
      'token]',
      ']',
      '[token]',
      'x[]]',
      'token[',
      'a[b]c[]',
    ];
    for (const name of names)
      expect([name, redactUrl(`/a?${name}=v`)]).toEqual([
        name,
        ['token', 'auth', 'api_key'].includes(old(name)) ? `/a?${name}=[redacted]` : `/a?${name}=v`,
      ]);
    expect(redactUrl('/a?token[[x]=v')).toBe('/a?token[[x]=[redacted]');
  });

  it('reads a query with no regular expression: it runs on every request, before authentication', () => {
    const exec = jest.spyOn(RegExp.prototype, 'exec');
    try {
      const url = `/health?${'['.repeat(16_000)}][]=1&token[x]=2&X-Api-Key=3`;
      expect(redactUrl(url)).toBe(`/health?${'['.repeat(16_000)}][]=1&token[x]=[redacted]&X-Api-Key=[redacted]`);
      expect(exec).not.toHaveBeenCalled();
    } finally {
      exec.mockRestore();
    }
  });
});
