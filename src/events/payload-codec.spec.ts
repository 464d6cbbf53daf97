import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { brotliCompressSync, constants } from 'node:zlib';
import { decodePayload, encodePayload, payloadText } from './payload-codec.js';

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

  // How rows written before LZ4 were compressed.
  const legacyBrotli = (text: Buffer) =>
    brotliCompressSync(text, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 1,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
      },
    });

  it('still reads the brotli payloads of rows stored before', () => {
    const payload = { action: 'synchronize', pull_request: { number: 7, title: 'Ünïcödé ✓' } };
    expect(decodePayload(legacyBrotli(Buffer.from(JSON.stringify(payload))))).toEqual(payload);
  });

  it('tells the formats apart by the first byte: no brotli payload starts with the LZ4 tag', () => {
    const sizes = [0, 1, 2, 100, 5_000, 21_000, 300_000, 2_000_000];
    for (const size of sizes) {
      for (const text of [
        Buffer.alloc(size, 'x'),
        Buffer.from(Array.from({ length: size }, (_, i) => (i * 7919) % 251)),
      ]) {
        // RFC 7932 §9.1: the 2^22 window is announced by the low bits 1011.
        expect(legacyBrotli(text)[0] & 0x0f).toBe(0b1011);
        expect(encodePayload(text)[0]).toBe(0x4c);
        expect(payloadText(encodePayload(text))).toBe(text.toString('utf8'));
      }
    }
  });
});
