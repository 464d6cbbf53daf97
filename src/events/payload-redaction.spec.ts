import { describe, expect, it } from '@jest/globals';
import { REDACTED } from '../common/redact.js';
import { redactSecrets } from './payload-redaction.js';

describe('redactSecrets', () => {
  it('replaces credentials at any depth and keeps everything else', () => {
    const payload = {
      zen: 'Keep it logically awesome.',
      hook: { config: { url: 'https://x.test/hook', secret: 'shh', insecure_ssl: '0' }, events: ['push'] },
      installation: { access_tokens_url: 'https://api.github.com/x', client_secret: 'c', webhook_token: 't' },
      list: [{ token: 'abc' }, { password: null }],
    };
    expect(redactSecrets(payload)).toEqual({
      zen: 'Keep it logically awesome.',
      hook: { config: { url: 'https://x.test/hook', secret: REDACTED, insecure_ssl: '0' }, events: ['push'] },
      installation: { access_tokens_url: 'https://api.github.com/x', client_secret: REDACTED, webhook_token: REDACTED },
      list: [{ token: REDACTED }, { password: null }],
    });
  });
});
