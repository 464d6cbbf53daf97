// What a delivery's headers alone decide, before a byte of its body is read: anything refused here
// costs Nectr one header parse, whoever sent it.

import {
  BadRequestException,
  ForbiddenException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';

/** GitHub caps webhook payloads at 25 MB. */
export const BODY_LIMIT = 25 * 1024 * 1024;
/**
 * A delivery without X-GitHub-Hook-ID is matched to its installation by the repository its body
 * names, so its body must be read and parsed before anything is verified: only small ones are.
 * GitHub always sends the hook id; a proxy that strips it is the case this serves.
 */
export const UNHOOKED_BODY_LIMIT = 1024 * 1024;

/** A delivery refused at steps 2–3; `result` is its label in the webhook metrics. */
export class WebhookRefused extends ForbiddenException {
  constructor(
    message: string,
    readonly result: 'unknown_webhook' | 'invalid_signature',
  ) {
    super(message);
  }
}

export const unknownWebhook = () => new WebhookRefused('Unknown webhook', 'unknown_webhook');
export const invalidSignature = () => new WebhookRefused('Invalid webhook signature', 'invalid_signature');

/** One header's value (the first, if sent more than once). */
export const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export type HeaderVerdict = { kind: 'ignored' } | { kind: 'hook'; hookId: number } | { kind: 'repository' };

const TARGET_TYPE = 'x-github-hook-installation-target-type';

/**
 * Step 1 of the contract and every refusal the headers allow; throws the refusal. `distinct` is
 * node's `req.headersDistinct`, which keeps a header sent twice as two values.
 */
export function checkHeaders(headers: IncomingHttpHeaders, distinct: NodeJS.Dict<string[]>): HeaderVerdict {
  const targetTypes = distinct[TARGET_TYPE] ?? [];
  if (targetTypes.length > 1)
    throw new BadRequestException('X-GitHub-Hook-Installation-Target-Type was sent more than once');
  if (targetTypes.length === 1 && targetTypes[0].trim().toLowerCase() !== 'repository') return { kind: 'ignored' };
  const encoding = header(headers, 'content-encoding')?.trim().toLowerCase();
  if (encoding && encoding !== 'identity')
    throw new UnsupportedMediaTypeException(
      `Content-Encoding ${encoding.slice(0, 32)} is not accepted: GitHub sends webhook bodies uncompressed`,
    );
  const length = Number(headers['content-length'] ?? 0);
  if (length > BODY_LIMIT) throw new PayloadTooLargeException('Request body is too large');
  const hookId = header(headers, 'x-github-hook-id');
  if (hookId !== undefined) {
    const id = /^\d{1,15}$/.test(hookId) ? Number(hookId) : NaN;
    if (!Number.isSafeInteger(id) || id === 0) throw unknownWebhook();
    return { kind: 'hook', hookId: id };
  }
  if (length > UNHOOKED_BODY_LIMIT) throw unknownWebhook();
  return { kind: 'repository' };
}
