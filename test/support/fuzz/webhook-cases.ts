// The webhook case generator: case `w<index>` is drawn from its own seed, so it replays alone.
import type { Ctx } from './fixtures.js';
import { caseSeed, Rng } from './rng.js';
import { draftFor } from './webhook-drafts.js';
import { finalize, type WebhookCase } from './webhook-oracle.js';

export const WEBHOOK_KINDS = [
  'valid',
  'weird-valid',
  'edge-json',
  'malformed',
  'form',
  'headers',
  'signature',
  'tampered',
  'unsigned-junk',
  'hookless',
  'encoding',
  'huge-string',
  // Forced once per run (the first cases), never picked at random: they are slow or big.
  'too-large',
  'at-limit',
  'header-overflow',
  'deep-million',
  'unsigned-deep-nul',
] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];
const RANDOM_KINDS: ReadonlyArray<readonly [number, WebhookKind]> = [
  [8, 'valid'],
  [12, 'weird-valid'],
  [7, 'edge-json'],
  [9, 'malformed'],
  [7, 'form'],
  [12, 'headers'],
  [10, 'signature'],
  [6, 'tampered'],
  [9, 'unsigned-junk'],
  [5, 'hookless'],
  [3, 'encoding'],
  [1, 'huge-string'],
];

export function webhookCase(ctx: Ctx, seed: number, index: number): WebhookCase {
  const r = new Rng(caseSeed(seed, 1, index));
  const id = `w${index}`;
  const kind: WebhookKind = index < WEBHOOK_KINDS.length ? WEBHOOK_KINDS[index] : r.weighted(RANDOM_KINDS);
  const unique = `fz${seed.toString(36)}-${index}`;
  return finalize(ctx, id, draftFor(kind, r, ctx, unique), unique);
}
