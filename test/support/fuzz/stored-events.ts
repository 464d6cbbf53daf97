// The storage invariant: an events row exists exactly for the deliveries answered "received", each
// validly signed for the repository it is stored under.
import { jsonOf, preview } from './text.js';
import type { WebhookOutcome } from './webhook-checks.js';

export interface StoredEvent {
  id: string;
  delivery_id: string;
  repo: string;
  github_event: string;
}

/** What is wrong between the rows in `events` and the answers the webhook cases got. */
export function storedEventProblems(rows: StoredEvent[], outcomes: WebhookOutcome[], seedTag: string): string[] {
  const received = new Map<string, WebhookOutcome>();
  for (const o of outcomes) {
    const body = jsonOf(o.res.text) as { status?: string; event_id?: string } | undefined;
    if (o.res.status === 200 && body?.status === 'received' && body.event_id) received.set(body.event_id, o);
  }
  const problems: string[] = [];
  for (const row of rows) {
    const o = received.get(row.id);
    if (!o) {
      const from = outcomes
        .filter((x) => x.c.deliveryId === row.delivery_id)
        .map((x) => `${x.c.id} [${x.c.tags.join(', ')}] → ${x.res.status}`);
      problems.push(
        `row ${row.id} (delivery ${preview(row.delivery_id, 40)}) was never answered "received"; sent by: ${from.join(' | ') || 'no case'}`,
      );
      continue;
    }
    if (o.c.signedFor.length === 0)
      problems.push(
        `${o.c.id} [${o.c.tags.join(', ')}]: stored without a valid signature (${seedTag} FUZZ_CASE=${o.c.id})`,
      );
    else if (!o.c.signedFor.some((name) => name.toLowerCase() === row.repo.toLowerCase())) {
      problems.push(
        `${o.c.id} [${o.c.tags.join(', ')}]: stored for ${row.repo} but signed for ${o.c.signedFor.join('/')} (${seedTag} FUZZ_CASE=${o.c.id})`,
      );
    }
    if (o.c.deliveryId !== row.delivery_id)
      problems.push(`${o.c.id}: stored delivery ${preview(row.delivery_id, 40)}, sent ${preview(o.c.deliveryId, 40)}`);
  }
  for (const [eventId, o] of received) {
    if (!rows.some((row) => row.id === eventId))
      problems.push(`${o.c.id} [${o.c.tags.join(', ')}]: answered received (${eventId}) but nothing is stored`);
  }
  return problems;
}
