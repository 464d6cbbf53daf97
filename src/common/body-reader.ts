import { PayloadTooLargeException, RequestTimeoutException } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InflightBudget } from './inflight-budget.js';
import { RetryLaterException } from './retry-later.exception.js';

/** The client went away before its body was in: there is no one left to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super('Client closed the connection before sending the whole body');
  }
}

export interface BodyReadOptions {
  /** Bytes at most; more is a 413. */
  limit: number;
  /** Every byte read is held against it until the caller releases the read. */
  budget: InflightBudget;
  /** After `graceMs`, a body slower than this on average is cut off (408). */
  minBytesPerSecond: number;
  graceMs?: number;
  /** Sees each chunk as it arrives (a running HMAC), so nothing needs a second pass. */
  onChunk?: (chunk: Buffer) => void;
}

export interface BodyRead {
  /** The body in one buffer, joined on first call: a body refused on its running HMAC never is. */
  bytes(): Buffer;
  /** The body as it arrived, for a second pass that need not join it (a 25 MB copy). */
  chunks(): readonly Buffer[];
  /** Gives the bytes' share of the budget back: call once the body is verified or refused. */
  release(): void;
}

/** Requests whose `100 Continue` is sent only when their body is wanted (see deferContinue). */
const continueDeferred = new WeakSet<IncomingMessage>();

/**
 * Marks a request whose `Expect: 100-continue` is answered when its body is wanted, not by node at
 * once: by readBody, or when anything else starts reading the body (a streamed route whose guard
 * iterates the request itself), else such a client and the guard would each wait for the other.
 */
export function deferContinue(req: IncomingMessage, res: ServerResponse): void {
  continueDeferred.add(req);
  const onListener = (event: string | symbol) => {
    if (event !== 'data' && event !== 'readable') return;
    req.off('newListener', onListener);
    if (continueDeferred.delete(req) && !res.headersSent) res.writeContinue();
  };
  req.on('newListener', onListener);
}

const CHECK_RATE_MS = 1000;
const SMALL_BODY = 1024 * 1024;
const SMALL_BODY_ROOM = 32 * 1024 * 1024;

/**
 * Reads a request body from the socket under a size limit, a shared budget of bytes in flight and
 * a minimum rate. The reservation is taken before the first byte when Content-Length is known, so a
 * burst of large bodies is refused at once instead of being half read.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, options: BodyReadOptions): Promise<BodyRead> {
  if (req.readableEnded) return Promise.reject(new Error('The request body was already read by a parser'));
  const declared = contentLength(req);
  if (declared !== undefined && declared > options.limit)
    return Promise.reject(new PayloadTooLargeException('Request body is too large'));
  // Large bodies may not take the last SMALL_BODY_ROOM (or eighth) of the budget: a flood of large unverified
  // uploads must leave room for ordinary deliveries, which are a few kilobytes.
  const hold = options.budget.reserve(
    declared ?? 0,
    (declared ?? 0) > SMALL_BODY
      ? options.budget.limit - Math.min(SMALL_BODY_ROOM, options.budget.limit / 8)
      : options.budget.limit,
  );
  if (!hold) return Promise.reject(budgetSpent());
  if (continueDeferred.delete(req) && /100-continue/i.test(req.headers.expect ?? '')) res.writeContinue();
  const grace = options.graceMs ?? 5000;
  return new Promise<BodyRead>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const startedAt = Date.now();
    const fail = (error: Error) => {
      cleanup();
      hold.release();
      // Nothing more is wanted from this request: stop reading it (the answer closes the connection).
      req.pause();
      reject(error);
    };
    const timer = setInterval(() => {
      const elapsed = Date.now() - startedAt;
      if (elapsed > grace && received < (options.minBytesPerSecond * (elapsed - grace)) / 1000)
        fail(new RequestTimeoutException('Request body arrived too slowly'));
    }, CHECK_RATE_MS);
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > options.limit) return fail(new PayloadTooLargeException('Request body is too large'));
      if (declared === undefined && !hold.grow(chunk.length)) return fail(budgetSpent());
      chunks.push(chunk);
      options.onChunk?.(chunk);
    };
    const onEnd = () => {
      cleanup();
      let joined: Buffer | undefined;
      resolve({
        bytes: () => (joined ??= chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received)),
        chunks: () => (joined ? [joined] : chunks),
        release: () => hold.release(),
      });
    };
    const onClose = () => fail(new ClientGoneError());
    const cleanup = () => {
      clearInterval(timer);
      req.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onClose);
    };
    req.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onClose);
  });
}

function budgetSpent(): RetryLaterException {
  return new RetryLaterException('Too many request bodies are being received at once: retry later', 5);
}

/** The declared Content-Length, when there is exactly one and it is a number. */
export function contentLength(req: IncomingMessage): number | undefined {
  const value = req.headers['content-length'];
  if (value === undefined || !/^\d{1,16}$/.test(value)) return undefined;
  return Number(value);
}
