import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { decodePayload, encodePayload } from './payload-codec.js';

const require = createRequire(import.meta.url);

describe('payload codec', () => {
  it('gives back the payload it stored, non-ASCII text and all', () => {
    const payload = { action: 'opened', pull_request: { title: 'Ünïcödé ✓ — 日本語 🚀', body: '\u0000 and "quotes"' } };
    expect(decodePayload(encodePayload(Buffer.from(JSON.stringify(payload))))).toEqual(payload);
  });

  it('stores GitHub’s example pull_request.opened in a fraction of its size, so it stays in its row', () => {
    const examples = require('@octokit/webhooks-examples') as Array<{ name: string; examples: object[] }>;
    const json = JSON.stringify(examples.find((e) => e.name === 'pull_request')!.examples[0]);
    const stored = encodePayload(Buffer.from(json));
    expect(json.length).toBeGreaterThan(10_000);
    expect(stored.length).toBeLessThan(json.length / 4);
    expect(stored.length).toBeLessThan(8000); // below toast_tuple_target, set to 8160 on events
  });
});
