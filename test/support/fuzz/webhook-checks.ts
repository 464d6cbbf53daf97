// The invariants every webhook answer must hold, whatever the case: the oracle's statuses, no 5xx,
// no hang, JSON errors, no secret echoed, and nothing "received" without a valid signature.
import { UUID } from './fixtures.js';
import type { RawResponse } from './raw-http.js';
import { jsonOf, preview } from './text.js';
import type { WebhookCase } from './webhook-oracle.js';

export interface WebhookOutcome {
  c: WebhookCase;
  res: RawResponse;
  problems: string[];
}

export function checkWebhook(c: WebhookCase, res: RawResponse, secrets: string[]): string[] {
  const problems: string[] = [];
  if (res.status === -1) return [`generator produced an unsendable request: ${res.error}`];
  if (res.status === 0) {
    // The server may close the socket while a too-large body is still being sent.
    if (c.transport === 413 && /EPIPE|ECONNRESET/.test(res.error ?? '')) return [];
    return [`no answer: ${res.error}`];
  }
  if (res.status >= 500) problems.push(`status ${res.status} (5xx)`);
  else if (!c.accept.includes(res.status)) problems.push(`status ${res.status}, contract allows ${c.accept.join('/')}`);
  if (!c.slowOk && res.ms > 10_000) problems.push(`answered in ${res.ms} ms (GitHub gives up after 10 s)`);
  for (const secret of secrets) if (res.text.includes(secret)) problems.push('a webhook secret appears in the answer');
  if (c.transport === 431 && res.status === 431) return problems;
  const body = jsonOf(res.text) as Record<string, unknown> | undefined;
  if (!String(res.headers['content-type'] ?? '').startsWith('application/json') || body === undefined) {
    problems.push(`answer is not JSON (${res.headers['content-type']}): ${preview(res.text, 100)}`);
    return problems;
  }
  if (res.status >= 400) {
    if (body.statusCode !== res.status)
      problems.push(`statusCode ${JSON.stringify(body.statusCode)} in a ${res.status} answer`);
    if (typeof body.message !== 'string' || !body.message)
      problems.push(`error without a message: ${preview(res.text, 100)}`);
    if (res.status === 403 && !['Unknown webhook', 'Invalid webhook signature'].includes(String(body.message)))
      problems.push(`403 with message ${JSON.stringify(body.message)}`);
  }
  if (res.status === 200) {
    if (body.status === 'ignored') {
      if (!c.mayBeIgnored) problems.push('answered "ignored" for a repository hook');
    } else if (body.status === 'received' || body.status === 'duplicate_skipped') {
      if (c.signedFor.length === 0) problems.push(`answered ${body.status} without a valid signature`);
      if (typeof body.event_id !== 'string' || !UUID.test(body.event_id))
        problems.push(`event_id ${JSON.stringify(body.event_id)} is not a uuid`);
      if (body.status === 'received' && c.expectedEventType !== undefined && body.event_type !== c.expectedEventType) {
        problems.push(`event_type ${JSON.stringify(body.event_type)}, expected ${JSON.stringify(c.expectedEventType)}`);
      }
    } else problems.push(`200 with an unknown shape: ${preview(res.text, 100)}`);
  }
  return problems;
}

/** A failed case, with its headers and the command that replays it alone. */
export function describeWebhook(o: WebhookOutcome, seedTag: string): string {
  const h = Object.entries(o.c.headers)
    .filter(([k]) => k !== 'user-agent')
    .map(([k, v]) => `${k}: ${preview(Array.isArray(v) ? v.join(' | ') : v, 50)}`)
    .join('; ');
  return `${o.c.id} [${o.c.tags.join(', ')}] → ${o.res.status} ${preview(o.res.text, 120)} :: ${o.problems.join('; ')}\n    body ${preview(o.c.body, 100)}\n    headers ${h}\n    replay: ${seedTag} FUZZ_CASE=${o.c.id}`;
}
