// Reading GitHub's delivery: the JSON body (or the `payload` field of a form body) and the few
// fields Nectr needs, each type-checked so a malformed payload is a 400 rather than a crash.

import { jsonNestsDeeperThan } from '../common/json-depth.js';
import { commentedPullRequest, isTakenCommand } from '../pr-commands/pr-command.js';

export class PayloadError extends Error {}

/**
 * GitHub's payloads nest a dozen levels or so. Far deeper JSON is refused before it is parsed: it
 * would be stored, then overflow the stack of whatever serialises it again (the events API).
 */
export const MAX_PAYLOAD_DEPTH = 256;

export interface ParsedDelivery {
  /** The JSON text's UTF-8 bytes as delivered (stored compressed, never re-serialised): the body itself when sent as JSON. */
  bytes: Buffer;
  body: Record<string, unknown>;
}

const REVIEWED_ACTIONS = new Set(['opened', 'synchronize', 'reopened', 'ready_for_review']);
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** Parses the raw body per its content type; throws PayloadError with a message for users. */
export function parseDelivery(raw: Buffer, contentType: string | undefined): ParsedDelivery {
  let json = raw.toString('utf8');
  const form = (contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  if (form) {
    const payload = new URLSearchParams(json).get('payload');
    if (payload === null) throw new PayloadError('Form-encoded deliveries must carry the JSON in a "payload" field');
    json = payload;
  }
  // The JSON text's bytes, checked and stored: the body itself unless a form wrapped it. (Brackets
  // are ASCII: the bytes nest exactly as their text does.)
  const bytes = form ? Buffer.from(json, 'utf8') : raw;
  if (jsonNestsDeeperThan(bytes, MAX_PAYLOAD_DEPTH))
    throw new PayloadError(`Webhook payload nests deeper than ${MAX_PAYLOAD_DEPTH} levels`);
  let body: unknown;
  try {
    body = JSON.parse(json);
  } catch {
    throw new PayloadError('Request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new PayloadError('Webhook payload must be a JSON object');
  // Postgres text cannot hold NUL, and fields such as the action are stored in text columns (GitHub
  // text rarely has \u0000, but it must not break ingest): drop the escape from the JSON text itself
  // (keys too), so the stored payload and the fields agree, without re-serialising.
  if (json.includes('\\u0000')) {
    json = json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1');
    return { bytes: Buffer.from(json, 'utf8'), body: JSON.parse(json) as Record<string, unknown> };
  }
  return { bytes, body: body as Record<string, unknown> };
}

/** The repository a payload names, to find its installation when X-GitHub-Hook-ID is absent. */
export function repositoryOf(body: Record<string, unknown>): { id?: number; fullName?: string } {
  const repository = body.repository as Record<string, unknown> | undefined;
  if (typeof repository !== 'object' || repository === null) return {};
  const id =
    Number.isSafeInteger(repository.id) && (repository.id as number) > 0 ? (repository.id as number) : undefined;
  const fullName =
    typeof repository.full_name === 'string' && /^[\w.-]{1,39}\/[\w.-]{1,100}$/.test(repository.full_name)
      ? repository.full_name
      : undefined;
  return { id, fullName };
}

export interface DeliveryFacts {
  action: string | null;
  prNumber: number | null;
  headSha: string | null;
  prUpdatedAt: Date | null;
  reviewable: boolean;
}

/**
 * What Nectr stores and decides from: the action and, for pull requests, number and head. Drafts are
 * queued too: whether they are reviewed is `.nectr.yml`'s `review.drafts`, which the worker reads.
 */
export function factsOf(event: string, body: Record<string, unknown>): DeliveryFacts {
  const action = typeof body.action === 'string' && body.action.length <= 64 ? body.action : null;
  const pr = body.pull_request as Record<string, unknown> | undefined;
  if (typeof pr !== 'object' || pr === null) {
    // A `/nectr` command in a PR comment is queued like a review; the worker reads the PR's head.
    const prNumber = event === 'issue_comment' ? commentedPullRequest(body) : null;
    return { action, prNumber, headSha: null, prUpdatedAt: null, reviewable: isTakenCommand(event, body) };
  }
  const number =
    Number.isSafeInteger(pr.number) && (pr.number as number) > 0 && (pr.number as number) < 2 ** 31
      ? (pr.number as number)
      : null;
  const head = pr.head as Record<string, unknown> | undefined;
  const sha = typeof head?.sha === 'string' && SHA.test(head.sha) ? head.sha : null;
  const updated = typeof pr.updated_at === 'string' ? new Date(pr.updated_at) : null;
  const prUpdatedAt = updated && !Number.isNaN(updated.getTime()) ? updated : null;
  const reviewable =
    event === 'pull_request' && action !== null && REVIEWED_ACTIONS.has(action) && number !== null && sha !== null;
  return { action, prNumber: number, headSha: sha, prUpdatedAt, reviewable };
}
