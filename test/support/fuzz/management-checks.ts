// The invariants every management API answer must hold: the oracle's statuses, no 5xx, JSON
// {statusCode, message} errors, no secret (plain or encrypted) echoed, and the documented shape.
import { UUID } from './fixtures.js';
import type { MgmtCase } from './management-cases.js';
import type { RawResponse } from './raw-http.js';
import { jsonOf, preview } from './text.js';

export interface MgmtOutcome {
  c: MgmtCase;
  res: RawResponse;
  problems: string[];
}

export function checkMgmt(c: MgmtCase, res: RawResponse, secrets: string[]): string[] {
  const problems: string[] = [];
  if (res.status === -1) return [`generator produced an unsendable request: ${res.error}`];
  if (res.status === 0) return [`no answer: ${res.error}`];
  if (res.status >= 500) problems.push(`status ${res.status} (5xx)`);
  else if (!c.accept.includes(res.status)) problems.push(`status ${res.status}, contract allows ${c.accept.join('/')}`);
  for (const secret of secrets) if (res.text.includes(secret)) problems.push('a webhook secret appears in the answer');
  if (/secret_?encrypted|secretEncrypted/i.test(res.text))
    problems.push('an encrypted secret field appears in the answer');
  if (res.status === 204) {
    if (res.text !== '') problems.push(`204 with a body: ${preview(res.text, 80)}`);
    return problems;
  }
  if (c.method === 'OPTIONS' || c.method === 'HEAD') return problems;
  const body = jsonOf(res.text);
  if (!String(res.headers['content-type'] ?? '').startsWith('application/json') || body === undefined) {
    problems.push(`answer is not JSON (${res.headers['content-type']}): ${preview(res.text, 100)}`);
    return problems;
  }
  if (res.status >= 400) {
    const error = isObject(body) ? body : {};
    if (error.statusCode !== res.status)
      problems.push(`statusCode ${JSON.stringify(error.statusCode)} in a ${res.status} answer`);
    const message = error.message;
    if (
      !(typeof message === 'string' && message) &&
      !(Array.isArray(message) && message.length > 0 && message.every((x: unknown) => typeof x === 'string'))
    ) {
      problems.push(`error without a message: ${preview(res.text, 100)}`);
    }
    return problems;
  }
  const shape = c.shapes[res.status];
  const isInstallation = (x: unknown): x is Record<string, unknown> =>
    isObject(x) &&
    typeof x.repo === 'string' &&
    Number.isSafeInteger(x.hook_id) &&
    Array.isArray(x.events) &&
    x.active === true &&
    typeof x.installed_at === 'string';
  const isEvent = (x: unknown): x is Record<string, unknown> =>
    isObject(x) && typeof x.id === 'string' && UUID.test(x.id) && typeof x.status === 'string';
  switch (shape) {
    case 'installation':
      if (!isInstallation(body)) problems.push(`not an installation: ${preview(res.text, 120)}`);
      break;
    case 'rotated':
      if (!isInstallation(body) || typeof body.previous_secret_valid_until !== 'string')
        problems.push(`not a rotation answer: ${preview(res.text, 120)}`);
      break;
    case 'repos':
      if (!Array.isArray(body) || !body.every(isInstallation))
        problems.push(`not a list of installations: ${preview(res.text, 120)}`);
      break;
    case 'eventList':
      if (!Array.isArray(body) || !body.every(isEvent))
        problems.push(`not a list of events: ${preview(res.text, 120)}`);
      else if (body.some((e: Record<string, unknown>) => 'payload' in e))
        problems.push('the event list carries payloads');
      break;
    case 'event':
      if (!isEvent(body)) problems.push(`not an event: ${preview(res.text, 120)}`);
      else if (c.eventId && body.id !== c.eventId) problems.push(`asked for ${c.eventId}, got ${String(body.id)}`);
      break;
    default:
      problems.push(`unexpected ${res.status} answer: ${preview(res.text, 120)}`);
  }
  return problems;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A failed case, with the command that replays it alone. */
export function describeMgmt(o: MgmtOutcome, seedTag: string): string {
  return `${o.c.id} [${o.c.tags.join(', ')}] ${o.c.method} ${preview(o.c.path, 120)} → ${o.res.status} ${preview(o.res.text, 120)} :: ${o.problems.join('; ')}\n    body ${preview(o.c.body, 80)}\n    replay: ${seedTag} FUZZ_CASE=${o.c.id}`;
}
