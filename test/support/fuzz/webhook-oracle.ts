// The webhook contract (API.md) as an oracle: a generator's Draft becomes a WebhookCase with its
// exact headers, the statuses the contract allows, and the installations it is validly signed for.
import { UNHOOKED_BODY_LIMIT } from '../../../src/webhooks/webhook-headers.js';
import { sign } from '../signing.js';
import type { Ctx, Install } from './fixtures.js';
import { headerValue } from './text.js';

export type Header = string | string[] | null;

/** What a generator builds; `finalize` turns it into headers and the statuses the contract allows. */
export interface Draft {
  tags: string[];
  body: Buffer;
  /** What the app sees after Content-Encoding is undone (real gzip), if different from `body`. */
  decoded?: Buffer;
  contentType?: Header;
  event?: Header;
  delivery?: Header;
  hook?: Header;
  target?: Header;
  encoding?: string;
  /** Garbage under a Content-Encoding: only 400/415 make sense. */
  encodingGarbage?: boolean;
  /** `secret`: the header is a correct signature by it (over `signOver` or the decoded body); else a literal header. */
  signature: { secret: string; signOver?: Buffer } | { header: Header };
  extra?: Record<string, string>;
  /** Valid JSON but exotic (nesting, overflowing numbers, lone surrogates, NUL): 400 is acceptable too. */
  edge?: boolean;
  extraAccept?: number[];
  /** Answered below the app: 413 from the body limit, 431 from Node's header limit. */
  transport?: 413 | 431;
}

export interface WebhookCase {
  id: string;
  tags: string[];
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
  accept: number[];
  /** Installations this delivery carries a valid (or equivalent) signature for. */
  signedFor: string[];
  /** An exact `sha256=<lowercase hex>` signature (not just an equivalent spelling). */
  exact: boolean;
  mayBeIgnored: boolean;
  deliveryId?: string;
  expectedEventType?: string;
  transport?: number;
  slowOk: boolean;
}

const GOOD_EVENT = /^[a-z][a-z0-9_]{0,63}$/;
const GOOD_DELIVERY = /^[A-Za-z0-9-]{1,100}$/;

function parseOracle(body: Buffer, contentType: string | undefined): { ok: boolean; obj?: Record<string, unknown> } {
  let text = body.toString('utf8');
  if ((contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) return { ok: false };
    text = payload;
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? { ok: true, obj: value as Record<string, unknown> }
      : { ok: false };
  } catch {
    return { ok: false };
  }
}

/** How Node hands a header to the app: trimmed, several values joined by ", ". */
function wire(value: Header | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return headerValue(Array.isArray(value) ? value.join(', ') : value).replace(/^[ \t]+|[ \t]+$/g, '');
}

/** The contract as an oracle: which statuses may answer this delivery, and for whom it is signed. */
export function finalize(ctx: Ctx, id: string, d: Draft, defaultDelivery: string): WebhookCase {
  const seen = d.decoded ?? d.body;
  const signatureHeader: Header =
    'secret' in d.signature ? sign(d.signature.secret, d.signature.signOver ?? seen) : d.signature.header;
  const contentType = d.contentType === undefined ? 'application/json' : d.contentType;
  const headers: Record<string, string | string[] | undefined> = {
    'content-type': contentType ?? undefined,
    'user-agent': 'GitHub-Hookshot/fuzz',
    'x-github-event': d.event === undefined ? 'push' : (d.event ?? undefined),
    'x-github-delivery': d.delivery === undefined ? defaultDelivery : (d.delivery ?? undefined),
    'x-github-hook-id': d.hook === undefined ? String(ctx.main.hookId) : (d.hook ?? undefined),
    'x-github-hook-installation-target-type': d.target === undefined ? 'repository' : (d.target ?? undefined),
    'x-hub-signature-256': signatureHeader ?? undefined,
    'content-encoding': d.encoding,
    ...d.extra,
  };
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) delete headers[key];
    else headers[key] = Array.isArray(value) ? value.map(headerValue) : headerValue(value);
  }
  const base = {
    id,
    tags: d.tags,
    body: d.body,
    headers,
    signedFor: [] as string[],
    exact: false,
    mayBeIgnored: false,
    slowOk: d.body.length > 4_000_000,
  };
  const deliveryId = wire(headers['x-github-delivery']);
  if (d.transport) return { ...base, accept: [d.transport], transport: d.transport, deliveryId };

  const accept = new Set<number>(d.extraAccept ?? []);
  const done = (): WebhookCase => ({ ...base, accept: [...accept].sort(), deliveryId, ...extraOut });
  const extraOut: Partial<WebhookCase> = {};

  // 1. Not a repository hook (compared in any case): ignored, whatever else is wrong; the header
  // sent twice is a 400 (issue 24: a signed delivery was dropped as ignored).
  const targets = headers['x-github-hook-installation-target-type'];
  if (Array.isArray(targets) && targets.length > 1) {
    accept.add(400);
    return done();
  }
  const target = wire(targets);
  if (target !== undefined && target.toLowerCase() !== 'repository') {
    base.mayBeIgnored = true;
    accept.add(200);
    if (target !== '') return done();
  }
  if (d.encodingGarbage) {
    // Garbage may still inflate to some bytes, which then fail the signature: 403.
    accept.add(400).add(403).add(415);
    return done();
  }
  if (d.encoding && d.encoding !== 'identity') accept.add(415);

  const ctype = wire(headers['content-type']);
  const parsed = parseOracle(seen, ctype);

  // 2. The installation: by hook id, else by the body's repository.
  const routes: Array<{ install: Install; certain: boolean }> = [];
  const hook = wire(headers['x-github-hook-id']);
  const byBody = () => {
    const found = parsed.obj?.repository;
    if (typeof found !== 'object' || found === null || Array.isArray(found)) return [];
    const repo = found as Record<string, unknown>;
    const byId = ctx.installs.find((i) => typeof repo.id === 'number' && repo.id === i.id);
    const byName = ctx.installs.find(
      (i) => typeof repo.full_name === 'string' && repo.full_name.toLowerCase() === i.fullName.toLowerCase(),
    );
    return [...new Set([byId, byName].filter((i): i is Install => i !== undefined))];
  };
  if (hook !== undefined) {
    const exactHook = ctx.installs.find((i) => String(i.hookId) === hook);
    if (exactHook) routes.push({ install: exactHook, certain: true });
    else {
      // Leading zeros or a "+" name a hook numerically; a garbage id may fall back to the body. Either way 403 is fine.
      const numeric = /^\+?\d+$/.test(hook) ? ctx.installs.find((i) => i.hookId === Number(hook)) : undefined;
      for (const install of new Set([...(numeric ? [numeric] : []), ...byBody()]))
        routes.push({ install, certain: false });
    }
  } else if (d.body.length > UNHOOKED_BODY_LIMIT) {
    // Without a hook id only a small body is read to find its repository (issue 24).
    accept.add(403);
    return done();
  } else {
    const candidates = byBody();
    for (const install of candidates) routes.push({ install, certain: candidates.length === 1 });
  }
  if (routes.length === 0) {
    accept.add(403);
    return done();
  }
  if (routes.some((r) => !r.certain)) accept.add(403);

  // 3. The signature, against the routed installation's secret.
  const given = wire(headers['x-hub-signature-256']);
  const exactFor = routes.filter((r) => given === sign(r.install.secret, seen));
  const equivalentFor = routes.filter(
    (r) =>
      given !== undefined &&
      !exactFor.includes(r) &&
      given
        .toLowerCase()
        .split(',')
        .map((s) => s.trim())
        .includes(sign(r.install.secret, seen)),
  );
  if (exactFor.length === 0 && equivalentFor.length === 0) {
    accept.add(403);
    return done();
  }
  if (exactFor.length === 0 || exactFor.length + equivalentFor.length < routes.length) accept.add(403);
  base.signedFor = [...exactFor, ...equivalentFor].map((r) => r.install.fullName);
  base.exact = exactFor.length > 0;

  // 4. Headers and body.
  const event = wire(headers['x-github-event']);
  if (!event || !deliveryId) {
    accept.add(400);
    return done();
  }
  if (!GOOD_EVENT.test(event) || !GOOD_DELIVERY.test(deliveryId)) accept.add(400);
  if (!parsed.ok) {
    accept.add(400);
    return done();
  }
  const lowerType = (ctype ?? '').toLowerCase();
  const known = lowerType.startsWith('application/json') || lowerType.startsWith('application/x-www-form-urlencoded');
  if (!known || /charset=(?!"?utf-?8)/.test(lowerType)) accept.add(400).add(415);
  if (d.edge) accept.add(400);
  accept.add(200);
  const action = parsed.obj!.action;
  if (action === undefined || action === null || typeof action !== 'string') extraOut.expectedEventType = event;
  else if (/^[a-z_]{1,64}$/.test(action)) extraOut.expectedEventType = `${action}_${event}`;
  return done();
}
