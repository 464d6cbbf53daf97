import { describe, expect, it } from '@jest/globals';
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
});
