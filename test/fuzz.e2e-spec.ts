// Seeded fuzzing of POST /api/v1/webhooks/github and the management API against the real app
// (Postgres, Redis, fake GitHub). Every case comes from a PRNG seeded by FUZZ_SEED (default fixed),
// and each case has its own derived seed, so a failure replays alone:
//
//   FUZZ_SEED=1234 FUZZ_CASE=w17 NODE_OPTIONS=--experimental-vm-modules npx jest --selectProjects e2e --testPathPatterns test/fuzz
//
// FUZZ_WEBHOOK_CASES / FUZZ_MANAGEMENT_CASES change the counts. Each case is sent with exact bytes,
// path and headers; an oracle written from the API contract (API.md) says which statuses it allows.
// FUZZ_STATS=1 prints, per kind of case, the statuses that came back and those the oracle allowed.
// The invariants: never a 5xx, never a hang, always JSON ({statusCode, message} for errors), never a
// secret in an answer, and never an event stored for a delivery without a valid signature.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { createHmac, createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { example, EXAMPLE_REPO, installRepo, pullRequestPayload } from './support/deliveries.js';
import { caseSeed, destroyAgent, fuzzSeed, headerValue, jsonOf, pool, preview, rawRequest, Rng, type RawResponse } from './support/fuzz.js';
import { sign } from './support/signing.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const SEED = fuzzSeed();
const WEBHOOK_CASES = Number(process.env.FUZZ_WEBHOOK_CASES ?? 400);
const MANAGEMENT_CASES = Number(process.env.FUZZ_MANAGEMENT_CASES ?? 150);
const ONLY = process.env.FUZZ_CASE?.split(',').map((s) => s.trim()).filter(Boolean);
const CONCURRENCY = 8;
const WEBHOOK_PATH = '/api/v1/webhooks/github';
const LIMIT_25MB = 25 * 1024 * 1024;
const SEED_TAG = `FUZZ_SEED=${SEED}`;

const OTHER_REPO = { fullName: 'fuzz-org/other', id: 777000111 };
const PLAYGROUND = { fullName: 'fuzz-org/playground', id: 777000222 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Install {
  fullName: string;
  id: number;
  hookId: number;
  secret: string;
}

interface Ctx {
  main: Install;
  other: Install;
  installs: Install[];
}

const selected = (id: string) => !ONLY || ONLY.includes(id);

// ---------------------------------------------------------------------------------------------
// Webhook cases
// ---------------------------------------------------------------------------------------------

type Header = string | string[] | null;

/** What a generator builds; `finalize` turns it into headers and the statuses the contract allows. */
interface Draft {
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

interface WebhookCase {
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

interface WebhookOutcome {
  c: WebhookCase;
  res: RawResponse;
  problems: string[];
}

const GOOD_EVENT = /^[a-z][a-z_]{0,63}$/;
const GOOD_DELIVERY = /^[A-Za-z0-9-]{1,100}$/;
const REVIEW_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review', 'closed', 'edited', 'labeled'];

function parseOracle(body: Buffer, contentType: string | undefined): { ok: boolean; obj?: Record<string, any> } {
  let text = body.toString('utf8');
  if ((contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) return { ok: false };
    text = payload;
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ok: true, obj: value as Record<string, any> } : { ok: false };
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
function finalize(ctx: Ctx, id: string, d: Draft, defaultDelivery: string): WebhookCase {
  const seen = d.decoded ?? d.body;
  const signatureHeader: Header = 'secret' in d.signature ? sign(d.signature.secret, d.signature.signOver ?? seen) : d.signature.header;
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
  const base = { id, tags: d.tags, body: d.body, headers, signedFor: [] as string[], exact: false, mayBeIgnored: false, slowOk: d.body.length > 4_000_000 };
  const deliveryId = wire(headers['x-github-delivery']);
  if (d.transport) return { ...base, accept: [d.transport], transport: d.transport, deliveryId };

  const accept = new Set<number>(d.extraAccept ?? []);
  const done = (): WebhookCase => ({ ...base, accept: [...accept].sort(), deliveryId, ...extraOut });
  const extraOut: Partial<WebhookCase> = {};

  // 1. Not a repository hook: ignored, whatever else is wrong.
  const target = wire(headers['x-github-hook-installation-target-type']);
  if (target !== undefined && target !== 'repository') {
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
    const repo = parsed.obj?.repository;
    if (typeof repo !== 'object' || repo === null || Array.isArray(repo)) return [];
    const byId = ctx.installs.find((i) => typeof repo.id === 'number' && repo.id === i.id);
    const byName = ctx.installs.find((i) => typeof repo.full_name === 'string' && repo.full_name.toLowerCase() === i.fullName.toLowerCase());
    return [...new Set([byId, byName].filter((i): i is Install => i !== undefined))];
  };
  if (hook !== undefined) {
    const exactHook = ctx.installs.find((i) => String(i.hookId) === hook);
    if (exactHook) routes.push({ install: exactHook, certain: true });
    else {
      // Leading zeros or a "+" name a hook numerically; a garbage id may fall back to the body. Either way 403 is fine.
      const numeric = /^\+?\d+$/.test(hook) ? ctx.installs.find((i) => i.hookId === Number(hook)) : undefined;
      for (const install of new Set([...(numeric ? [numeric] : []), ...byBody()])) routes.push({ install, certain: false });
    }
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
  const equivalentFor = routes.filter((r) => given !== undefined && !exactFor.includes(r) && given.toLowerCase().split(',').map((s) => s.trim()).includes(sign(r.install.secret, seen)));
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

// --- bodies ---------------------------------------------------------------------------------

interface Body {
  obj: Record<string, any>;
  event: string;
}

function goodBody(r: Rng, install?: { fullName: string; id: number }): Body {
  const kind = r.weighted([[5, 'pr'], [2, 'push'], [1, 'ping'], [1, 'issues'], [1, 'minimal'], [1, 'random']] as const);
  let body: Body;
  switch (kind) {
    case 'pr':
      body = {
        event: 'pull_request',
        obj: pullRequestPayload({
          action: r.pick(REVIEW_ACTIONS), number: r.int(1, 99999), sha: r.hex(r.bool(0.9) ? 40 : 64), draft: r.bool(0.2),
          updatedAt: new Date(Date.UTC(2026, 0, 1) + r.int(0, 1e10)).toISOString(),
        }),
      };
      break;
    case 'push':
      body = { event: 'push', obj: example('push') };
      body.obj.after = r.hex(40);
      break;
    case 'ping':
      body = { event: 'ping', obj: { ...example('ping'), zen: r.unicode(r.int(0, 30)) } };
      break;
    case 'issues':
      body = { event: 'issues', obj: example('issues') };
      break;
    case 'minimal':
      body = { event: r.pick(['star', 'watch', 'fork', 'pull_request']), obj: { zen: r.unicode(r.int(0, 40)), repository: { id: EXAMPLE_REPO.id, full_name: EXAMPLE_REPO.fullName } } };
      break;
    default: {
      // (Spreading a string would split emoji into lone surrogates: edge-json's business, not this.)
      const extra = r.json(3);
      const fields = typeof extra === 'object' && extra !== null && !Array.isArray(extra) ? extra : { extra };
      body = { event: r.pick(['push', 'issue_comment', 'release', 'check_run']), obj: { ...fields, repository: { id: EXAMPLE_REPO.id, full_name: EXAMPLE_REPO.fullName } } };
    }
  }
  if (install) body.obj.repository = { ...(body.obj.repository ?? {}), id: install.id, full_name: install.fullName };
  return body;
}

function serialize(r: Rng, obj: unknown, form: boolean): Buffer {
  const json = JSON.stringify(obj, null, r.bool(0.2) ? 2 : undefined);
  if (!form) return Buffer.from(json);
  return Buffer.from(r.bool(0.5) ? `payload=${encodeURIComponent(json)}` : new URLSearchParams({ payload: json }).toString());
}

const EXTREME_DATES = ['+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z', '0000-01-01T00:00:00Z', '-000001-01-01T00:00:00Z', '+010000-01-01T00:00:00Z', '-004714-11-23T00:00:00Z'];

/** Wrong types and odd values in the fields Nectr reads: a well-formed JSON object all the same. */
const repoOf = (p: Record<string, any>) => {
  if (typeof p.repository !== 'object' || p.repository === null || Array.isArray(p.repository)) p.repository = {};
  return p.repository as Record<string, unknown>;
};
const MUTATORS: Array<[string, (p: Record<string, any>, r: Rng) => unknown]> = [
  ['repository.id', (p, r) => (repoOf(p).id = r.pick<unknown>(['186853002', [186853002], { id: 1 }, -1, 1.5, 1e300, 2 ** 53 + 1, 0, null, true, '', -186853002]))],
  ['repository.full_name', (p, r) => (repoOf(p).full_name = r.pick<unknown>([123, ['Codertocat/Hello-World'], '../../etc/passwd', '', 'x'.repeat(r.int(100, 5000)), 'Codertocat/Hello-World/../../x', r.unicode(10), null, {}, 'CODERTOCAT/HELLO-WORLD']))],
  ['repository', (p, r) => (p.repository = r.pick<unknown>(['Codertocat/Hello-World', [], null, 42, {}, [{ id: 186853002 }]]))],
  ['pull_request', (p, r) => (p.pull_request = r.pick<unknown>(['string', [], null, 42, {}, true, [{ number: 1 }]]))],
  ['number', (p, r) => {
    const value = r.pick<unknown>(['7', -1, 1e20, 0, 2 ** 31, 2 ** 31 - 1, 1.5, null, [], '1e3', -0, 2 ** 53]);
    p.number = value;
    if (typeof p.pull_request === 'object' && p.pull_request) p.pull_request.number = value;
    return value;
  }],
  ['head.sha', (p, r) => {
    if (typeof p.pull_request !== 'object' || !p.pull_request) return 'n/a';
    const value = r.pick<unknown>([r.hex(39), r.hex(41), r.hex(63), r.hex(65), r.hex(40).toUpperCase(), 'g'.repeat(40), '', 123, null, {}, [r.hex(40)], ` ${r.hex(40)}`]);
    if (r.bool(0.2)) p.pull_request.head = r.pick<unknown>([null, 'main', [], 7]);
    else if (typeof p.pull_request.head === 'object' && p.pull_request.head) p.pull_request.head.sha = value;
    return value;
  }],
  ['action', (p, r) => (p.action = r.pick<unknown>([r.unicode(r.int(1, 20)), 'x'.repeat(65), 'x'.repeat(64), '', 42, null, [], 'opened ', 'OPENED', '__proto__', 'constructor', 'opened_pull_request', { a: 1 }]))],
  ['draft', (p, r) => typeof p.pull_request === 'object' && p.pull_request && (p.pull_request.draft = r.pick<unknown>(['true', 1, null, 'false', {}, [true]]))],
  ['updated_at', (p, r) => typeof p.pull_request === 'object' && p.pull_request && (p.pull_request.updated_at = r.pick<unknown>(['garbage', '', 123, '9999-99-99', '1970-01-01T00:00:00Z', '2026-02-30T10:00:00Z', null, '1', 'Tue, 01 Jan 2030 00:00:00 GMT', [], 1e15]))],
  ['unicode', (p, r) => {
    if (typeof p.pull_request === 'object' && p.pull_request) p.pull_request.title = r.unicode(r.int(1, 300));
    p.sender = { login: r.unicode(r.int(1, 30)) };
    return 'title/sender';
  }],
  ['extra keys', (p, r) => {
    for (let i = r.int(1, 20); i > 0; i--) p[r.unicode(r.int(1, 12))] = r.json(3);
    return 'random';
  }],
  ['wrong-type siblings', (p, r) => {
    p.installation = r.pick<unknown>(['1', [], null]);
    p.hook = r.pick<unknown>(['x', 5, []]);
    p.sender = r.pick<unknown>([null, 'octocat', [1]]);
    return 'installation/hook/sender';
  }],
];

/** Valid JSON objects Postgres or Node may find hard; 200 or 400, never a 5xx. Returns JSON text. */
function edgeJson(r: Rng, base: Record<string, any>): { text: string; tag: string; raw?: Buffer } {
  const json = JSON.stringify(base);
  const splice = (extra: string) => `${json.slice(0, -1)},${extra}}`;
  const depth = r.pick([1000, 5000, 10_000, 50_000, 100_000]);
  const kind = r.int(0, 12);
  switch (kind) {
    case 0: return { text: splice(`"deep":${'['.repeat(depth)}${']'.repeat(depth)}`), tag: `${depth} nested arrays` };
    case 1: return { text: splice(`"deep":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`), tag: `${depth} nested objects` };
    case 2: {
      const n = r.pick(['1e400', '1e131073', '-1e999999', `1${'0'.repeat(150_000)}`, `0.${'0'.repeat(20_000)}1`, '1e-999999', '123456789012345678901234567890']);
      return { text: splice(`"n":${n}`), tag: `number ${preview(n, 20)}` };
    }
    case 3: {
      const s = r.pick(['"\\ud800"', '"\\udc00x"', '"\\ud800\\u0041"', '"\\uDFFF"', '"a\\ud83d"']);
      return { text: splice(`"lone":${s}`), tag: `lone surrogate ${s}` };
    }
    case 4: return { text: splice(`"a\\u0000b":1`), tag: 'NUL in a key' };
    case 5: return { text: json.replace(/"action":"[^"]*"/, '"action":"open\\u0000ed"').replace(/^\{/, '{"action":"open\\u0000ed",'), tag: 'NUL in action' };
    case 6: return { text: splice(`"nul":"\\u0000","deep":${'['.repeat(depth)}${']'.repeat(depth)}`), tag: `NUL plus ${depth} nested arrays` };
    case 7: return { text: splice(`"repository":${JSON.stringify(base.repository ?? {})},"repository":{"id":"x"}`), tag: 'duplicate keys' };
    case 8: return { text: splice(`"many":{${Array.from({ length: 50_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`), tag: '50k keys' };
    case 9: {
      const text = splice('"bytes":"XX"');
      const at = text.lastIndexOf('XX');
      const raw = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xff, 0xc3]), Buffer.from(text.slice(at + 2))]);
      return { text, raw, tag: 'invalid UTF-8 bytes in a string' };
    }
    case 10: return { text: splice(`"nulkey":{"\\u0000":"\\u0000"}`), tag: 'NUL key and value' };
    case 11: return { text: splice(`"esc":"\\u0000\\b\\f\\n\\r\\t\\/\\\\\\"\\u2028\\uFFFF"`), tag: 'escapes' };
    default: return { text: `\ufeff${json}`, tag: 'UTF-8 BOM' };
  }
}

function malformedBody(r: Rng): { body: Buffer; tag: string } {
  const good = JSON.stringify(goodBody(r).obj);
  const kind = r.int(0, 11);
  switch (kind) {
    case 0: return { body: r.bytes(r.int(0, 3000)), tag: 'random bytes' };
    case 1: return { body: Buffer.alloc(0), tag: 'empty' };
    case 2: {
      const at = r.int(0, good.length - 1);
      return { body: Buffer.from(good.slice(0, at)), tag: `truncated at ${at}/${good.length}` };
    }
    case 3: {
      const text = r.pick(['[1,2]', 'null', '"str"', '42', 'true', '[]', '[{}]', ' ', '[{"repository":{"id":186853002}}]', '-0', '1e999']);
      return { body: Buffer.from(text), tag: `top-level ${text}` };
    }
    case 4: {
      const depth = r.pick([1000, 10_000, 100_000, 1_000_000]);
      return { body: Buffer.from(r.bool() ? '['.repeat(depth) : '{"a":'.repeat(depth)), tag: `${depth} unclosed levels` };
    }
    case 5: {
      const tail = r.pick(['x', '}', '\u0000', ',', ' {}', '\n\n{"a":1}']);
      return { body: Buffer.from(good + tail), tag: `trailing ${JSON.stringify(tail)}` };
    }
    case 6: {
      const text = r.pick(["{'a':1}", '{a:1}', '{"a":NaN}', '{"a":1,}', '{"a":1}/*c*/', '{"a":undefined}', '{"a":0x10}', '{"a":Infinity}', '{"a":"\\x41"}', '{"a":"\n"}', '{"a":01}']);
      return { body: Buffer.from(text), tag: `not JSON ${text}` };
    }
    case 7: return { body: Buffer.from(good, 'utf16le'), tag: 'UTF-16LE' };
    case 8: return { body: gzipSync(good), tag: 'gzip bytes, no Content-Encoding' };
    case 9: return { body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), tag: 'invalid UTF-8 braces' };
    case 10: {
      const b = Buffer.from(good);
      const at = r.int(0, b.length - 1);
      b[at] = r.pick([0x22, 0x7b, 0x5d, 0x00, 0x5c]);
      return { body: b, tag: `byte ${at} changed` };
    }
    default: return { body: Buffer.from(`${good.slice(0, -1)},"deep":${'['.repeat(50_000)}}`), tag: 'deep and unclosed' };
  }
}

function formBody(r: Rng): { body: Buffer; tag: string; contentType?: string } {
  const json = JSON.stringify(goodBody(r).obj);
  const options: Array<() => { body: Buffer; tag: string; contentType?: string }> = [
    () => ({ body: Buffer.from(`other=${encodeURIComponent(json)}`), tag: 'payload missing' }),
    () => ({ body: Buffer.from('payload='), tag: 'payload empty' }),
    () => ({ body: Buffer.from('payload=%E0%A4%A'), tag: 'payload=%E0%A4%A' }),
    () => ({ body: Buffer.from(`payload=%E0%A4%A${encodeURIComponent(json)}`), tag: 'bad escape then JSON' }),
    () => ({ body: Buffer.from(`payload=${encodeURIComponent(json)}&payload=${encodeURIComponent('{"x":1}')}`), tag: 'double payload (first valid)' }),
    () => ({ body: Buffer.from(`payload=not-json&payload=${encodeURIComponent(json)}`), tag: 'double payload (first garbage)' }),
    () => ({ body: Buffer.from(`payload=${encodeURIComponent(r.unicode(r.int(1, 50)))}`), tag: 'non-JSON payload' }),
    () => ({ body: Buffer.from(`payload=${json}`), tag: 'payload not percent-encoded' }),
    () => ({ body: Buffer.from(`%70ayload=${encodeURIComponent(json)}`), tag: 'percent-encoded field name' }),
    () => ({ body: Buffer.from(`payload=${encodeURIComponent(json)}`), tag: 'form body under a JSON content type', contentType: 'application/json' }),
    () => ({ body: Buffer.from(json), tag: 'JSON body under the form content type' }),
    () => ({ body: Buffer.from(`payload=${encodeURIComponent('[1,2]')}`), tag: 'payload is an array' }),
    () => ({ body: Buffer.from(`&&&==&payload&=`), tag: 'separators only' }),
    () => ({ body: Buffer.from(`payload=${encodeURIComponent(json)}`), tag: 'form with charset', contentType: 'application/x-www-form-urlencoded; charset=utf-8' }),
    () => ({ body: r.bytes(r.int(1, 500)), tag: 'random bytes' }),
  ];
  return r.pick(options)();
}

// --- headers and signatures -------------------------------------------------------------------

const show = (value: Header, max: number) => preview(Array.isArray(value) ? value.join(' | ') : (value ?? '(none)'), max);

function eventHeader(r: Rng): { value: Header; tag: string } {
  const value = r.pick<Header>([
    null, '', ' ', 'pull request', 'PULL_REQUEST', 'Push', 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(r.int(1000, 8000)), r.unicode(r.int(1, 20)),
    '../../etc/passwd', 'push\t', '-', '_push', 'push1', 'ping,push', '__proto__', 'constructor', 'pull_request ', 'a', 'zz_top',
  ]);
  return { value, tag: `event=${show(value, 40)}` };
}

function deliveryHeader(r: Rng, unique: string): { value: Header; tag: string } {
  const value = r.pick<Header>([
    null, '', 'a b', `${r.unicode(r.int(1, 20))}-${unique}`, `${unique}-${'x'.repeat(100 - unique.length - 1)}`, `${unique}-${'x'.repeat(101 - unique.length)}`,
    'x'.repeat(r.int(1000, 8000)), `../${unique}`, `${unique}-ABCDEF`, `{${unique}}`, "'; DROP TABLE events;--", `%00${unique}`, `${unique}\t`, `0`,
  ]);
  return { value, tag: `delivery=${show(value, 40)}` };
}

function hookHeader(r: Rng, ctx: Ctx): { value: Header; tag: string } {
  const h = ctx.main.hookId;
  const value = r.pick<Header>([
    null, '-1', '1e3', '99999999999999999999', '0x10', ` ${h}`, `${h} `, '١٢', '１２', '', 'abc', `${h}.0`, `+${h}`, `0${h}`, String(h + 1000),
    '0', [String(h), String(h)], String(ctx.other.hookId), `${h}${'0'.repeat(20)}`, `-${h}`, `${h}abc`, 'NaN',
  ]);
  return { value, tag: `hook=${show(value, 40)}` };
}

function targetHeader(r: Rng): { value: Header; tag: string } {
  const value = r.pick<Header>([null, 'repository', ' repository ', 'Repository', 'organization', 'integration', 'business', '', 'repository, repository', r.unicode(5), 'REPOSITORY']);
  return { value, tag: `target=${show(value, 30)}` };
}

function contentTypeHeader(r: Rng): { value: Header; tag: string } {
  const value = r.pick<Header>([
    'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/octet-stream', null, '',
    'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/json; charset=latin1', ';;;', 'a'.repeat(5000), 'application/vnd.github+json',
  ]);
  return { value, tag: `content-type=${show(value, 40)}` };
}

function signatureVariant(r: Rng, secret: string, body: Buffer): { value: Header; tag: string } {
  const good = sign(secret, body);
  const hex = good.slice(7);
  const hmac = (algo: string, key: string) => createHmac(algo, key).update(body).digest('hex');
  const variants: Array<[string, Header]> = [
    ['missing', null], ['empty', ''], ['prefix only', 'sha256='], ['sha1 HMAC', `sha1=${hmac('sha1', secret)}`],
    ['SHA256= prefix', `SHA256=${hex}`], ['upper-case hex', `sha256=${hex.toUpperCase()}`], ['63 hex', good.slice(0, -1)], ['65 hex', `${good}0`],
    ['last hex changed', `${good.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`], ['non-hex', `sha256=${'g'.repeat(64)}`],
    ['base64 digest', `sha256=${Buffer.from(hex, 'hex').toString('base64')}`], ['sha256: separator', `sha256:${hex}`], ['spaces around', ` ${good} `],
    ['two values (good, bad)', [good, `sha256=${'0'.repeat(64)}`]], ['two values (bad, good)', [`sha256=${'0'.repeat(64)}`, good]], ['comma list', `${good},${good}`],
    ['plain SHA-256 of the body', `sha256=${createHash('sha256').update(body).digest('hex')}`], ['HMAC with empty key', `sha256=${hmac('sha256', '')}`],
    ['HMAC with key + newline', `sha256=${hmac('sha256', `${secret}\n`)}`], ['HMAC with upper-case key', `sha256=${hmac('sha256', secret.toUpperCase())}`],
    ['HMAC-SHA512', `sha256=${hmac('sha512', secret)}`], ['zeros', `sha256=${'0'.repeat(64)}`], ['8000 chars', `sha256=${'a'.repeat(8000)}`],
    ['unicode', `sha256=${r.unicode(32)}`], ['odd-length hex', `sha256=${hex.slice(0, 33)}`], ['sha256 twice', `sha256=sha256=${hex}`],
  ];
  const [tag, value] = r.pick(variants);
  return { value, tag: `signature: ${tag}` };
}

// --- the generator ---------------------------------------------------------------------------

const WEBHOOK_KINDS = [
  'valid', 'weird-valid', 'edge-json', 'malformed', 'form', 'headers', 'signature', 'tampered', 'unsigned-junk', 'hookless', 'encoding', 'huge-string',
  // Forced once per run (the first cases), never picked at random: they are slow or big.
  'too-large', 'at-limit', 'header-overflow', 'deep-million', 'unsigned-deep-nul',
] as const;
type WebhookKind = (typeof WEBHOOK_KINDS)[number];
const RANDOM_KINDS: ReadonlyArray<readonly [number, WebhookKind]> = [
  [8, 'valid'], [12, 'weird-valid'], [7, 'edge-json'], [9, 'malformed'], [7, 'form'], [12, 'headers'], [10, 'signature'], [6, 'tampered'],
  [9, 'unsigned-junk'], [5, 'hookless'], [3, 'encoding'], [1, 'huge-string'],
];

function webhookCase(ctx: Ctx, index: number): WebhookCase {
  const r = new Rng(caseSeed(SEED, 1, index));
  const id = `w${index}`;
  const kind: WebhookKind = index < WEBHOOK_KINDS.length ? WEBHOOK_KINDS[index] : r.weighted(RANDOM_KINDS);
  const unique = `fz${SEED.toString(36)}-${index}`;
  const secret = ctx.main.secret;
  const good = () => {
    const b = goodBody(r);
    const form = r.bool(0.2);
    return { ...b, form, body: serialize(r, b.obj, form), contentType: form ? 'application/x-www-form-urlencoded' : 'application/json' };
  };
  let draft: Draft;
  switch (kind) {
    case 'valid': {
      const g = good();
      draft = { tags: [kind, g.event, g.form ? 'form' : 'json'], body: g.body, contentType: g.contentType, event: g.event, signature: { secret } };
      break;
    }
    case 'weird-valid': {
      const p = pullRequestPayload({ action: r.pick(REVIEW_ACTIONS), number: r.int(1, 99999), sha: r.hex(40) });
      const tags: string[] = [kind];
      for (let n = r.int(1, 3); n > 0; n--) {
        const [name, mutate] = r.pick(MUTATORS);
        tags.push(`${name}=${preview(JSON.stringify(mutate(p, r)) ?? 'undefined', 40)}`);
      }
      const form = r.bool(0.15);
      draft = { tags, body: serialize(r, p, form), contentType: form ? 'application/x-www-form-urlencoded' : 'application/json', event: 'pull_request', signature: { secret } };
      if (r.bool(0.25)) {
        draft.hook = null;
        tags.push('no hook id');
      }
      break;
    }
    case 'edge-json': {
      const p = r.bool(0.7) ? pullRequestPayload({ number: r.int(1, 99999), sha: r.hex(40) }) : goodBody(r).obj;
      const e = edgeJson(r, p);
      const body = e.raw ?? Buffer.from(e.text);
      draft = { tags: [kind, e.tag], body, event: 'pull_request', signature: { secret }, edge: true };
      if (e.tag === 'UTF-8 BOM') draft.extraAccept = [200];
      if (r.bool(0.2)) {
        // Unsigned and without a hook id: the body is parsed before anything is verified.
        draft.hook = null;
        draft.signature = { header: r.bool() ? null : `sha256=${'0'.repeat(64)}` };
        draft.tags.push('unsigned, no hook id');
      }
      break;
    }
    case 'malformed': {
      const m = malformedBody(r);
      draft = { tags: [kind, m.tag], body: m.body, signature: { secret } };
      if (r.bool(0.2)) {
        draft.hook = null;
        draft.tags.push('no hook id');
      }
      break;
    }
    case 'form': {
      const f = formBody(r);
      draft = { tags: [kind, f.tag], body: f.body, contentType: f.contentType ?? 'application/x-www-form-urlencoded', event: 'pull_request', signature: { secret } };
      break;
    }
    case 'headers': {
      const g = good();
      draft = { tags: [kind, g.event], body: g.body, contentType: g.contentType, event: g.event, signature: { secret } };
      const pools = [
        () => { const h = eventHeader(r); draft.event = h.value; return h.tag; },
        () => { const h = deliveryHeader(r, unique); draft.delivery = h.value; return h.tag; },
        () => { const h = hookHeader(r, ctx); draft.hook = h.value; return h.tag; },
        () => { const h = targetHeader(r); draft.target = h.value; return h.tag; },
        () => {
          const h = contentTypeHeader(r);
          // Keep the body consistent with a JSON or form type so the header is what is tested.
          const form = typeof h.value === 'string' && h.value.toLowerCase().startsWith('application/x-www-form-urlencoded');
          draft.body = serialize(r, g.obj, form);
          draft.contentType = h.value;
          return h.tag;
        },
        () => { draft.extra = { ...draft.extra, 'x-github-hook-installation-target-id': r.pick(['-1', 'abc', '1e400', r.unicode(8)]) }; return 'target-id junk'; },
        () => { draft.extra = { ...draft.extra, 'user-agent': r.unicode(r.int(0, 2000)) }; return 'user-agent junk'; },
        () => { draft.extra = { ...draft.extra, 'x-github-enterprise-host': '../../', 'x-forwarded-for': 'x, y, 999.1.1.1' }; return 'proxy junk'; },
      ];
      for (let n = r.int(1, 3); n > 0; n--) draft.tags.push(r.pick(pools)());
      break;
    }
    case 'signature': {
      const g = good();
      const s = signatureVariant(r, secret, g.body);
      draft = { tags: [kind, s.tag, g.event], body: g.body, contentType: g.contentType, event: g.event, signature: { header: s.value } };
      if (r.bool(0.2)) {
        draft.hook = null;
        draft.tags.push('no hook id');
      }
      break;
    }
    case 'tampered': {
      const g = goodBody(r);
      const json = Buffer.from(JSON.stringify(g.obj));
      const variants: Array<() => Draft> = [
        () => ({ tags: ['signed, then a newline appended'], body: Buffer.concat([json, Buffer.from('\n')]), signature: { secret, signOver: json } }),
        () => ({ tags: ['signed, then a space inserted'], body: Buffer.from(`{ ${json.toString().slice(1)}`), signature: { secret, signOver: json } }),
        () => ({ tags: ['signed as JSON, sent as form'], body: Buffer.from(`payload=${encodeURIComponent(json.toString())}`), contentType: 'application/x-www-form-urlencoded', signature: { secret, signOver: json } }),
        () => ({ tags: ['signed pretty, sent compact'], body: json, signature: { secret, signOver: Buffer.from(JSON.stringify(g.obj, null, 2)) } }),
        () => ({ tags: ['signed by the other repo, main hook id'], body: json, signature: { secret: ctx.other.secret } }),
        () => ({ tags: ['signed by main, other hook id'], body: json, hook: String(ctx.other.hookId), signature: { secret } }),
        () => {
          const b = Buffer.from(JSON.stringify(goodBody(r, OTHER_REPO).obj));
          return { tags: ['other repo in body, signed by main, no hook id'], body: b, hook: null, signature: { secret } };
        },
        () => {
          const b = Buffer.from(JSON.stringify(goodBody(r, OTHER_REPO).obj));
          return { tags: ['other repo in body, signed by other, no hook id'], body: b, hook: null, signature: { secret: ctx.other.secret } };
        },
        () => ({ tags: ['main repo in body, signed by other, no hook id'], body: json, hook: null, signature: { secret: ctx.other.secret } }),
        () => {
          const obj = goodBody(r).obj;
          obj.repository = { id: OTHER_REPO.id, full_name: EXAMPLE_REPO.fullName };
          return { tags: ['other id, main name, signed by other, no hook id'], body: Buffer.from(JSON.stringify(obj)), hook: null, signature: { secret: ctx.other.secret } };
        },
        () => ({ tags: ['other hook id, signed by other'], body: json, hook: String(ctx.other.hookId), signature: { secret: ctx.other.secret } }),
        () => ({ tags: ['signed with a random secret'], body: json, signature: { secret: r.hex(64) } }),
        () => ({ tags: ['signed over an empty body'], body: json, signature: { secret, signOver: Buffer.alloc(0) } }),
      ];
      draft = r.pick(variants)();
      draft.tags.unshift(kind, g.event);
      draft.event = g.event;
      break;
    }
    case 'unsigned-junk': {
      const body = r.bool() ? malformedBody(r).body : good().body;
      const s = r.bool(0.5) ? { value: null as Header, tag: 'signature: missing' } : signatureVariant(r, r.hex(64), body);
      const h = hookHeader(r, ctx);
      const e = eventHeader(r);
      const d = deliveryHeader(r, unique);
      draft = { tags: [kind, s.tag, h.tag, e.tag, d.tag], body, hook: h.value, event: e.value, delivery: d.value, signature: { header: s.value } };
      if (r.bool(0.3)) {
        const c = contentTypeHeader(r);
        draft.contentType = c.value;
        draft.tags.push(c.tag);
      }
      break;
    }
    case 'hookless': {
      const g = goodBody(r, r.bool(0.7) ? undefined : r.pick([OTHER_REPO, PLAYGROUND, { fullName: 'nobody/nothing', id: 1 }]));
      const json = Buffer.from(JSON.stringify(g.obj));
      const signer = r.pick([ctx.main, ctx.other]);
      draft = { tags: [kind, g.event, `repo ${g.obj.repository?.full_name}`, `signed by ${signer.fullName}`], body: json, event: g.event, hook: null, signature: { secret: signer.secret } };
      break;
    }
    case 'encoding': {
      const g = goodBody(r);
      const json = Buffer.from(JSON.stringify(g.obj));
      const variant = r.int(0, 4);
      if (variant === 0) draft = { tags: [kind, 'real gzip, signed over the JSON'], body: gzipSync(json), decoded: json, encoding: 'gzip', event: g.event, signature: { secret } };
      else if (variant === 1) draft = { tags: [kind, 'identity'], body: json, encoding: 'identity', event: g.event, signature: { secret } };
      else {
        const encoding = r.pick(['gzip', 'deflate', 'br', 'x-fuzz', 'gzip, gzip', 'GZIP']);
        draft = { tags: [kind, `garbage under ${encoding}`], body: r.bool() ? json : r.bytes(200), encoding, encodingGarbage: true, event: g.event, signature: { secret } };
      }
      break;
    }
    case 'huge-string': {
      const p = pullRequestPayload({ number: r.int(1, 99999), sha: r.hex(40) });
      const size = r.int(1, 6) * 1024 * 1024;
      p.pull_request.body = r.bool() ? 'x'.repeat(size) : r.unicode(size / 4);
      draft = { tags: [kind, `${size} chars`], body: serialize(r, p, r.bool(0.3)), event: 'pull_request', signature: { secret } };
      if (draft.body[0] !== 0x7b) draft.contentType = 'application/x-www-form-urlencoded';
      break;
    }
    case 'too-large': {
      const body = Buffer.alloc(LIMIT_25MB + 1 + r.int(0, 1000), 0x20);
      body.write('{"zen":"', 0);
      body.write('"}', body.length - 2);
      draft = { tags: [kind, `${body.length} bytes`], body, signature: { secret }, transport: 413 };
      break;
    }
    case 'at-limit': {
      const p = pullRequestPayload({ number: r.int(1, 99999), sha: r.hex(40) });
      const base = Buffer.byteLength(JSON.stringify({ ...p, pull_request: { ...p.pull_request, body: '' } }));
      p.pull_request.body = 'y'.repeat(LIMIT_25MB - base - 64);
      draft = { tags: [kind, '~25 MB signed body'], body: Buffer.from(JSON.stringify(p)), event: 'pull_request', signature: { secret } };
      break;
    }
    case 'header-overflow': {
      const g = good();
      draft = { tags: [kind, '20 kB X-GitHub-Event'], body: g.body, event: 'e'.repeat(20_000), signature: { secret }, transport: 431 };
      break;
    }
    case 'unsigned-deep-nul': {
      // Parsed before anything is verified (no hook id): must be a 403 like any unsigned delivery.
      const depth = 100_000;
      const json = JSON.stringify({ zen: '\u0000', repository: { id: EXAMPLE_REPO.id, full_name: EXAMPLE_REPO.fullName } });
      draft = { tags: [kind, `NUL plus ${depth} nested arrays, unsigned, no hook id`], body: Buffer.from(`${json.slice(0, -1)},"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`), hook: null, signature: { header: null } };
      break;
    }
    case 'deep-million': {
      const depth = 1_000_000;
      const json = JSON.stringify({ zen: 'deep', repository: { id: EXAMPLE_REPO.id, full_name: EXAMPLE_REPO.fullName } });
      draft = { tags: [kind, `${depth} nested arrays, signed`], body: Buffer.from(`${json.slice(0, -1)},"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`), signature: { secret }, edge: true };
      break;
    }
  }
  return finalize(ctx, id, draft, unique);
}

function checkWebhook(c: WebhookCase, res: RawResponse, secrets: string[]): string[] {
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
  const body = jsonOf(res.text) as Record<string, any> | undefined;
  if (!String(res.headers['content-type'] ?? '').startsWith('application/json') || body === undefined) {
    problems.push(`answer is not JSON (${res.headers['content-type']}): ${preview(res.text, 100)}`);
    return problems;
  }
  if (res.status >= 400) {
    if (body.statusCode !== res.status) problems.push(`statusCode ${body.statusCode} in a ${res.status} answer`);
    if (typeof body.message !== 'string' || !body.message) problems.push(`error without a message: ${preview(res.text, 100)}`);
    if (res.status === 403 && !['Unknown webhook', 'Invalid webhook signature'].includes(body.message)) problems.push(`403 with message ${JSON.stringify(body.message)}`);
  }
  if (res.status === 200) {
    if (body.status === 'ignored') {
      if (!c.mayBeIgnored) problems.push('answered "ignored" for a repository hook');
    } else if (body.status === 'received' || body.status === 'duplicate_skipped') {
      if (c.signedFor.length === 0) problems.push(`answered ${body.status} without a valid signature`);
      if (typeof body.event_id !== 'string' || !UUID.test(body.event_id)) problems.push(`event_id ${JSON.stringify(body.event_id)} is not a uuid`);
      if (body.status === 'received' && c.expectedEventType !== undefined && body.event_type !== c.expectedEventType) {
        problems.push(`event_type ${JSON.stringify(body.event_type)}, expected ${JSON.stringify(c.expectedEventType)}`);
      }
    } else problems.push(`200 with an unknown shape: ${preview(res.text, 100)}`);
  }
  return problems;
}

function describeWebhook(o: WebhookOutcome): string {
  const h = Object.entries(o.c.headers)
    .filter(([k]) => k !== 'user-agent')
    .map(([k, v]) => `${k}: ${preview(Array.isArray(v) ? v.join(' | ') : v, 50)}`)
    .join('; ');
  return `${o.c.id} [${o.c.tags.join(', ')}] → ${o.res.status} ${preview(o.res.text, 120)} :: ${o.problems.join('; ')}\n    body ${preview(o.c.body, 100)}\n    headers ${h}\n    replay: ${SEED_TAG} FUZZ_CASE=${o.c.id}`;
}

// ---------------------------------------------------------------------------------------------
// Management API cases
// ---------------------------------------------------------------------------------------------

type Shape = 'installation' | 'rotated' | 'repos' | 'eventList' | 'event' | 'none';

interface MgmtCase {
  id: string;
  tags: string[];
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  body?: Buffer;
  accept: number[];
  shapes: Partial<Record<number, Shape>>;
  eventId?: string;
}

interface MgmtCtx {
  token: string;
  /** Events stored by the webhook phase (ids), for GET/retry of real rows. */
  eventIds: string[];
}

const enc = encodeURIComponent;

/** Owner/repo path segments: clean names (known or not), and traversal-looking or invalid ones. */
function repoPath(r: Rng, allowExample: boolean): { owner: string; repo: string; cls: 'example' | 'playground' | 'unknown' | 'weird'; tag: string } {
  const roll = r.int(0, 9);
  if (roll <= 1 && allowExample) return { owner: 'Codertocat', repo: r.pick(['Hello-World', 'hello-world', 'HELLO-WORLD']), cls: 'example', tag: 'example repo' };
  if (roll <= 3) return { owner: r.pick(['fuzz-org', 'FUZZ-ORG']), repo: r.pick(['playground', 'Playground']), cls: 'playground', tag: 'playground repo' };
  if (roll <= 5) return { owner: r.string(r.int(1, 10)), repo: r.string(r.int(1, 12), 'abcdefghijklmnopqrstuvwxyz0123456789._-').replace(/^\.+$/, 'x'), cls: 'unknown', tag: 'unknown repo' };
  const weirdOwner = r.pick([
    '..', '.', '%2e%2e', '%2E%2E', '.git', 'a.git', 'x'.repeat(40), '%2F', 'a%2Fb', '%00', '%E0%A4%A', enc('ünï'), '-a', 'a-', 'a--b', '_', '%20',
    '~', '%252e', 'a;b', enc("'OR'1'='1"), enc('$(id)'), '%0d%0a', enc('😀'), 'Codertocat%2FHello-World', '%5C..%5C', 'x'.repeat(3000), 'fuzz-org',
  ]);
  const weirdRepo = r.pick([
    '..', '.', '%2e%2e', '.git', 'a.git', 'r'.repeat(100), 'r'.repeat(101), '%2F', 'a%2F..%2Fb', '%00', '%E0%A4%A', enc('日本語'), '_', '-', '%20',
    enc('../../etc/passwd'), '%2e', 'x'.repeat(3000), enc('<script>'), 'playground%00', 'hello%20world', '%FF',
  ]);
  // Sometimes a literal "/../" or "/./" between the segments: a different route shape altogether.
  const owner = r.bool(0.15) ? `${weirdOwner}/..` : weirdOwner;
  return { owner, repo: weirdRepo, cls: 'weird', tag: `owner=${preview(owner, 30)} repo=${preview(weirdRepo, 30)}` };
}

function installBody(r: Rng): { body?: Buffer; contentType?: string; cls: 'ok' | 'bad' | 'maybe' | 'malformed'; tag: string } {
  const events = ['pull_request', 'push', 'issues', '*', 'star', 'release'];
  const json = (value: unknown, cls: 'ok' | 'bad' | 'maybe', tag: string) => ({ body: Buffer.from(JSON.stringify(value)), contentType: 'application/json', cls, tag });
  const options: Array<() => ReturnType<typeof installBody>> = [
    () => ({ cls: 'ok', tag: 'no body' }),
    () => json({}, 'ok', '{}'),
    () => json({ events: [r.pick(events)] }, 'ok', 'one event'),
    () => json({ events: events.slice(0, r.int(1, events.length)) }, 'ok', 'some events'),
    () => json({ events: ['push', 'push'] }, 'ok', 'duplicate events'),
    () => json({ events: null }, 'maybe', 'events null'),
    () => json({ events: r.pick<unknown>(['push', 42, true, {}, { 0: 'push' }, [], [1], [null], ['nope'], [['push']], ['PUSH'], [' push'], ['push\u0000']]) }, 'bad', 'events of a wrong type'),
    () => json({ events: Array.from({ length: r.pick([61, 1000, 100_000]) }, () => 'push') }, 'bad', 'huge events array'),
    () => json({ events: Array.from({ length: 2000 }, () => r.unicode(8)) }, 'bad', '2000 junk events'),
    () => json({ events: ['push'], [r.pick(['evnts', 'secret', 'hook_id', 'active', 'x'])]: r.json(2) }, 'bad', 'unknown key'),
    () => ({ body: Buffer.from('{"__proto__":{"polluted":true},"events":["push"]}'), contentType: 'application/json', cls: 'maybe', tag: '__proto__ key' }),
    // class-transformer skips a "constructor" key, so it is not reported as unknown: either answer is fine.
    () => ({ body: Buffer.from('{"constructor":{"prototype":{"polluted":true}}}'), contentType: 'application/json', cls: 'maybe', tag: 'constructor.prototype' }),
    () => ({ body: Buffer.from(`{"events":${'['.repeat(10_000)}${']'.repeat(10_000)}}`), contentType: 'application/json', cls: 'bad', tag: '10k nested arrays' }),
    () => ({ body: Buffer.from(r.pick(['{"events":', '{', 'nope', '{"events":["push",]}', "{'events':[]}"])), contentType: 'application/json', cls: 'malformed', tag: 'malformed JSON' }),
    () => ({ body: Buffer.from(r.pick(['null', '"x"', '1', 'true'])), contentType: 'application/json', cls: 'malformed', tag: 'JSON scalar' }),
    () => ({ body: Buffer.from(r.pick(['[]', '[{}]', '[1,2]'])), contentType: 'application/json', cls: 'maybe', tag: 'JSON array' }),
    () => ({ body: r.bytes(r.int(1, 500)), contentType: 'application/json', cls: 'malformed', tag: 'random bytes as JSON' }),
    () => ({ body: r.bytes(r.int(1, 500)), contentType: 'application/octet-stream', cls: 'maybe', tag: 'random bytes, octet-stream' }),
    () => ({ body: Buffer.from('{"events":["push"]}'), contentType: 'text/plain', cls: 'maybe', tag: 'JSON as text/plain' }),
    () => ({ body: Buffer.from('events=push'), contentType: 'application/x-www-form-urlencoded', cls: 'bad', tag: 'form events=push' }),
    () => ({ body: Buffer.from('events=push&events=issues'), contentType: 'application/x-www-form-urlencoded', cls: 'maybe', tag: 'form events twice' }),
    () => ({ body: Buffer.from('events=%E0%A4%A'), contentType: 'application/x-www-form-urlencoded', cls: 'maybe', tag: 'form bad escape' }),
    () => ({ body: Buffer.from('{"events":["push"]}'), contentType: 'application/json; charset=utf-7', cls: 'maybe', tag: 'charset utf-7' }),
  ];
  return r.pick(options)();
}

function authHeader(r: Rng, token: string): { value?: string; ok: boolean | 'maybe'; tag: string } {
  const variants: Array<[string, string | undefined, boolean | 'maybe']> = [
    ['missing', undefined, false], ['empty', '', false], ['"Bearer"', 'Bearer', false], ['"Bearer "', 'Bearer ', false], ['wrong token', `Bearer ${r.hex(32)}`, false],
    ['Basic', `Basic ${Buffer.from(`x:${token}`).toString('base64')}`, false], ['token + x', `Bearer ${token}x`, false], ['token minus one char', `Bearer ${token.slice(0, -1)}`, false],
    ['token twice', `Bearer ${token} ${token}`, false], ['8000-char token', `Bearer ${'A'.repeat(8000)}`, false], ['unicode token', `Bearer ${r.unicode(20)}`, false],
    ['Token scheme', `Token ${token}`, false], ['no scheme', token, false], ['upper-case token', `Bearer ${token.toUpperCase()}`, false],
    ['lower-case scheme', `bearer ${token}`, true], ['extra spaces', `Bearer    ${token}`, true], ['tab separator', `Bearer\t${token}`, 'maybe'],
    ['trailing space', `Bearer ${token} `, 'maybe'], ['NUL-ish', `Bearer ${token}%00`, false], ['quoted', `Bearer "${token}"`, false],
  ];
  const [tag, value, ok] = r.pick(variants);
  return { value: value === undefined ? undefined : headerValue(value), ok, tag: `auth: ${tag}` };
}

const MGMT_KINDS = ['install', 'uninstall', 'rotate', 'listRepos', 'getEvent', 'retryEvent', 'listEvents', 'wrongRoute'] as const;
type MgmtKind = (typeof MGMT_KINDS)[number];

function eventIdSegment(r: Rng, m: MgmtCtx): { seg: string; exists: boolean | 'maybe'; tag: string } {
  if (m.eventIds.length > 0 && r.bool(0.3)) {
    const id = r.pick(m.eventIds);
    return r.bool(0.8) ? { seg: id, exists: true, tag: 'a stored event' } : { seg: id.toUpperCase(), exists: 'maybe', tag: 'a stored event, upper-case' };
  }
  const seg = r.pick([
    r.uuid(), '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', `{${r.uuid()}}`, r.uuid().replace(/-/g, ''), r.hex(36),
    '1', '-1', '0', '99999999999999999999', 'null', 'undefined', '%00', '..', '%2e%2e', enc("' OR 1=1 --"), enc(r.unicode(10)), 'x'.repeat(5000),
    `${r.uuid()}%00`, `${r.uuid()}.json`, '%E0%A4%A', enc('1; DROP TABLE events'), 'NaN', '%20',
  ]);
  return { seg, exists: false, tag: `id ${preview(seg, 40)}` };
}

function listQuery(r: Rng): { query: string; cls: 'ok' | 'bad' | 'maybe'; tag: string } {
  const parts: string[] = [];
  let cls: 'ok' | 'bad' | 'maybe' = 'ok';
  const worse = (c: 'ok' | 'bad' | 'maybe') => {
    if (c === 'bad' || cls === 'bad') cls = 'bad';
    else if (c === 'maybe') cls = 'maybe';
  };
  const params: Array<() => void> = [
    () => {
      const [v, c] = r.pick<[string, 'ok' | 'bad' | 'maybe']>([
        ['1', 'ok'], ['50', 'ok'], ['500', 'ok'], ['007', 'maybe'], [' 12', 'maybe'], ['0', 'bad'], ['-1', 'bad'], ['501', 'bad'], ['1.5', 'bad'], ['abc', 'bad'], ['', 'bad'],
        ['1e3', 'bad'], ['NaN', 'bad'], ['Infinity', 'bad'], ['99999999999999999999', 'bad'], ['0x10', 'maybe'], ['1e2', 'maybe'], ['[]', 'bad'], ['true', 'bad'],
      ]);
      parts.push(`limit=${enc(v)}`);
      worse(c);
    },
    () => {
      const [v, c] = r.pick<[string, 'ok' | 'bad']>([
        ['received', 'ok'], ['pending', 'ok'], ['processing', 'ok'], ['completed', 'ok'], ['failed', 'ok'], ['superseded', 'ok'], ['RECEIVED', 'bad'], ['', 'bad'],
        ['x', 'bad'], ["pending' OR '1'='1", 'bad'], [r.unicode(6), 'bad'], ['pending,failed', 'bad'],
      ]);
      parts.push(`status=${enc(v)}`);
      worse(c);
    },
    () => {
      const [v, c] = r.pick<[string, 'ok' | 'bad' | 'maybe']>([
        [EXAMPLE_REPO.fullName, 'ok'], ['a/b', 'ok'], [PLAYGROUND.fullName, 'ok'], ['codertocat/hello-world', 'ok'], ['', 'bad'], ['a', 'bad'], ['../../etc/passwd', 'bad'],
        ['a/b/c', 'bad'], [`${'x'.repeat(200)}/y`, 'bad'], [r.unicode(8), 'bad'], ["a/b' OR 1=1--", 'bad'], ['%', 'bad'], ['a/' + 'b'.repeat(100), 'ok'], ['a/' + 'b'.repeat(101), 'bad'],
      ]);
      parts.push(`repo=${enc(v)}`);
      worse(c);
    },
    () => {
      parts.push(r.pick(['limit=1&limit=2', 'status=pending&status=failed', 'repo=a/b&repo=c/d', 'limit[]=1', 'repo[a]=b', 'status[$ne]=x']));
      worse('bad');
    },
    () => {
      parts.push(r.pick([`${enc(r.unicode(5))}=1`, 'evil=1', 'payload=1', 'secret=1', 'constructor[prototype]=1']));
      worse('bad');
    },
    () => {
      // class-transformer drops a __proto__ key before validation: reported as unknown or not.
      parts.push('__proto__=1');
      worse('maybe');
    },
    () => {
      parts.push(r.pick(['%E0%A4%A', '%', '&&&', '==', 'limit', 'status', '=x', 'limit=%E0%A4%A']));
      worse('maybe');
    },
  ];
  for (let n = r.int(0, 3); n > 0; n--) r.pick(params)();
  return { query: parts.join('&'), cls, tag: `?${preview(parts.join('&'), 60)}` };
}

function mgmtCase(m: MgmtCtx, index: number): MgmtCase {
  const r = new Rng(caseSeed(SEED, 2, index));
  const id = `m${index}`;
  const kind: MgmtKind = index < MGMT_KINDS.length ? MGMT_KINDS[index] : r.pick(MGMT_KINDS);
  const tags: string[] = [kind];
  let method = 'GET';
  let path = '/';
  let body: Buffer | undefined;
  let contentType: string | undefined;
  const accept = new Set<number>();
  const shapes: Partial<Record<number, Shape>> = {};
  let routable = true; // the path has the route's shape (else Nest answers 404 before any guard)
  let malformedBody = false;
  let eventId: string | undefined;

  const names = (allowExample: boolean) => {
    const p = repoPath(r, allowExample);
    tags.push(p.tag);
    if (p.owner.includes('/')) routable = false;
    return p;
  };
  const byName = (cls: string, known: number[], unknown: number[]) => {
    if (cls === 'weird') [400, 404].forEach((s) => accept.add(s));
    else (cls === 'unknown' ? unknown : known).forEach((s) => accept.add(s));
  };

  switch (kind) {
    case 'install': {
      const p = names(true);
      const b = installBody(r);
      tags.push(b.tag);
      method = 'POST';
      path = `/api/v1/repos/${p.owner}/${p.repo}/install`;
      body = b.body;
      contentType = b.contentType;
      if (b.cls === 'malformed') {
        malformedBody = true;
        accept.add(400);
        break;
      }
      if (b.cls === 'bad' || b.cls === 'maybe') accept.add(400);
      // The playground is installed and uninstalled concurrently: a hook deleted mid-install is a
      // 404 from GitHub, a lost insert race a 409.
      if (b.cls !== 'bad') byName(p.cls, p.cls === 'example' ? [200] : [200, 201, 404, 409], [404]);
      shapes[200] = shapes[201] = 'installation';
      break;
    }
    case 'uninstall': {
      const p = names(false);
      method = 'DELETE';
      path = `/api/v1/repos/${p.owner}/${p.repo}/install`;
      byName(p.cls, [204, 404], [404]);
      shapes[204] = 'none';
      break;
    }
    case 'rotate': {
      const p = names(false);
      method = 'POST';
      path = `/api/v1/repos/${p.owner}/${p.repo}/install/rotate-secret`;
      byName(p.cls, [200, 404], [404]);
      shapes[200] = 'rotated';
      break;
    }
    case 'listRepos': {
      const q = r.bool(0.5) ? `?${r.pick(['x=1', 'limit=-1', '%E0%A4%A', 'secret=1', `${enc(r.unicode(4))}=${enc(r.unicode(4))}`])}` : '';
      tags.push(q || 'no query');
      path = `/api/v1/repos${q}`;
      accept.add(200);
      if (q) accept.add(400);
      shapes[200] = 'repos';
      break;
    }
    case 'getEvent':
    case 'retryEvent': {
      const e = eventIdSegment(r, m);
      tags.push(e.tag);
      if (e.seg.includes('/')) routable = false;
      method = kind === 'getEvent' ? 'GET' : 'POST';
      path = `/api/v1/events/${e.seg}${kind === 'retryEvent' ? '/retry' : ''}`;
      const found = kind === 'getEvent' ? 200 : 409; // stored events here are received or pending, never failed
      if (e.exists === true) accept.add(found);
      else if (e.exists === 'maybe') accept.add(found).add(404);
      else accept.add(404).add(400);
      if (e.exists === true) eventId = e.seg;
      shapes[200] = kind === 'getEvent' ? 'event' : 'event';
      break;
    }
    case 'listEvents': {
      const q = listQuery(r);
      tags.push(q.tag);
      path = `/api/v1/events${q.query ? `?${q.query}` : ''}`;
      if (q.cls !== 'bad') accept.add(200);
      if (q.cls !== 'ok') accept.add(400);
      shapes[200] = 'eventList';
      break;
    }
    case 'wrongRoute': {
      const [m2, p2] = r.pick<[string, string]>([
        ['PUT', '/api/v1/repos/a/b/install'], ['PATCH', '/api/v1/events'], ['DELETE', '/api/v1/events'], ['GET', '/api/v1/repos/a/b/install'],
        ['GET', '/api/v1/repos/a/b'], ['POST', '/api/v1/repos'], ['GET', '/api/v1/'], ['GET', `/api/v1/${enc(r.unicode(6))}`], ['GET', '/api/v1/repos/a/b/c/d/install'],
        ['GET', '/api/v2/events'], ['GET', '/api/v1/events/../repos'], ['OPTIONS', '/api/v1/events'], ['GET', '/%2e%2e/%2e%2e/etc/passwd'], ['TRACE', '/api/v1/events'],
      ]);
      tags.push(`${m2} ${p2}`);
      method = m2;
      path = p2;
      routable = false;
      accept.add(404).add(405);
      if (m2 === 'OPTIONS') accept.add(204).add(200);
      break;
    }
  }

  const headers: Record<string, string | undefined> = { 'content-type': contentType, accept: r.pick(['application/json', '*/*', 'text/html']) };
  const auth = r.bool(0.3) ? authHeader(r, m.token) : { value: `Bearer ${m.token}`, ok: true as const, tag: '' };
  if (auth.tag) tags.push(auth.tag);
  headers.authorization = auth.value;
  if (auth.ok !== true && routable) {
    // Body parsing runs before the guard; the guard before validation and the handler.
    const before = new Set<number>();
    if (malformedBody) before.add(400);
    else {
      before.add(401);
      // Undecodable path escapes may be refused (400) or be a non-matching route (404) before the guard.
      if (/%(?![0-9a-fA-F]{2})|%[89a-fA-F][0-9a-fA-F]|%E0%A4%A/.test(path)) before.add(400).add(404);
      if (tags.some((t) => t.startsWith('owner=') || t.includes('repo='))) before.add(404);
      if (kind === 'install' && contentType && !contentType.startsWith('application/json')) before.add(400);
      if (kind === 'install' && contentType?.includes('utf-7')) before.add(415);
    }
    if (auth.ok === 'maybe') for (const s of accept) before.add(s);
    accept.clear();
    before.forEach((s) => accept.add(s));
  }
  if (!routable) {
    accept.add(404);
    if (/%(?![0-9a-fA-F]{2})|%[89a-fA-F][0-9a-fA-F]|%E0%A4%A/.test(path)) accept.add(400);
  }
  if (contentType?.includes('utf-7')) accept.add(415);
  return { id, tags, method, path, headers, body, accept: [...accept].sort(), shapes, eventId };
}

function checkMgmt(c: MgmtCase, res: RawResponse, secrets: string[]): string[] {
  const problems: string[] = [];
  if (res.status === -1) return [`generator produced an unsendable request: ${res.error}`];
  if (res.status === 0) return [`no answer: ${res.error}`];
  if (res.status >= 500) problems.push(`status ${res.status} (5xx)`);
  else if (!c.accept.includes(res.status)) problems.push(`status ${res.status}, contract allows ${c.accept.join('/')}`);
  for (const secret of secrets) if (res.text.includes(secret)) problems.push('a webhook secret appears in the answer');
  if (/secret_?encrypted|secretEncrypted/i.test(res.text)) problems.push('an encrypted secret field appears in the answer');
  if (res.status === 204) {
    if (res.text !== '') problems.push(`204 with a body: ${preview(res.text, 80)}`);
    return problems;
  }
  if (c.method === 'OPTIONS' || c.method === 'HEAD') return problems;
  const body = jsonOf(res.text) as any;
  if (!String(res.headers['content-type'] ?? '').startsWith('application/json') || body === undefined) {
    problems.push(`answer is not JSON (${res.headers['content-type']}): ${preview(res.text, 100)}`);
    return problems;
  }
  if (res.status >= 400) {
    if (body.statusCode !== res.status) problems.push(`statusCode ${body.statusCode} in a ${res.status} answer`);
    const message = body.message;
    if (!(typeof message === 'string' && message) && !(Array.isArray(message) && message.length > 0 && message.every((x: unknown) => typeof x === 'string'))) {
      problems.push(`error without a message: ${preview(res.text, 100)}`);
    }
    return problems;
  }
  const shape = c.shapes[res.status];
  const isInstallation = (x: any) => x && typeof x.repo === 'string' && Number.isSafeInteger(x.hook_id) && Array.isArray(x.events) && x.active === true && typeof x.installed_at === 'string';
  const isEvent = (x: any) => x && typeof x.id === 'string' && UUID.test(x.id) && typeof x.status === 'string';
  switch (shape) {
    case 'installation':
      if (!isInstallation(body)) problems.push(`not an installation: ${preview(res.text, 120)}`);
      break;
    case 'rotated':
      if (!isInstallation(body) || typeof body.previous_secret_valid_until !== 'string') problems.push(`not a rotation answer: ${preview(res.text, 120)}`);
      break;
    case 'repos':
      if (!Array.isArray(body) || !body.every(isInstallation)) problems.push(`not a list of installations: ${preview(res.text, 120)}`);
      break;
    case 'eventList':
      if (!Array.isArray(body) || !body.every(isEvent)) problems.push(`not a list of events: ${preview(res.text, 120)}`);
      else if (body.some((e: any) => 'payload' in e)) problems.push('the event list carries payloads');
      break;
    case 'event':
      if (!isEvent(body)) problems.push(`not an event: ${preview(res.text, 120)}`);
      else if (c.eventId && body.id !== c.eventId) problems.push(`asked for ${c.eventId}, got ${body.id}`);
      break;
    default:
      problems.push(`unexpected ${res.status} answer: ${preview(res.text, 120)}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

/**
 * Silences the app's console while cases run and keeps the distinct errors it logs (TypeORM's
 * failed queries, the exception filter's 500s), to explain failures without flooding the output.
 */
function captureServerErrors(): { lines(): string[]; restore(): void } {
  const seen = new Map<string, number>();
  const note = (args: unknown[]) => {
    const text = args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' ').split('\n')[0].slice(0, 160);
    seen.set(text, (seen.get(text) ?? 0) + 1);
  };
  const spies = [
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      if (/^error:/i.test(String(args[0]))) note(args);
    }),
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => note(args)),
    jest.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => note(args.slice(0, 1))),
  ];
  return {
    lines: () => [...seen].map(([text, n]) => `server logged ${n}×: ${text}`),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

/** FUZZ_STATS=1: per kind, how many cases, which statuses came back and which the oracle allowed. */
function stats(rows: Array<{ kind: string; status: number; accept: number[] }>): string {
  const byKind = new Map<string, { n: number; got: Map<number, number>; allowed: Map<string, number> }>();
  for (const row of rows) {
    const entry = byKind.get(row.kind) ?? { n: 0, got: new Map(), allowed: new Map() };
    entry.n++;
    entry.got.set(row.status, (entry.got.get(row.status) ?? 0) + 1);
    entry.allowed.set(row.accept.join('/'), (entry.allowed.get(row.accept.join('/')) ?? 0) + 1);
    byKind.set(row.kind, entry);
  }
  const fmt = (m: Map<unknown, number>) => [...m].map(([k, n]) => `${k}×${n}`).join(' ');
  return [...byKind].map(([kind, e]) => `${kind.padEnd(18)} ${String(e.n).padStart(4)}  got ${fmt(e.got)}  allowed ${fmt(e.allowed)}`).join('\n');
}

const report = (lines: string[], total: number, logged: string[] = []) =>
  lines.length === 0 ? [] : [`${lines.length} of ${total} cases failed (${SEED_TAG})`, ...lines.slice(0, 25), ...logged];

describe(`fuzz (${SEED_TAG})`, () => {
  let t: TestApp;
  let port: number;
  let ctx: Ctx;
  let webhookOutcomes: WebhookOutcome[] = [];
  const allSecrets = () => {
    const secrets = new Set<string>([ctx.main.secret, ctx.other.secret]);
    for (const name of [EXAMPLE_REPO.fullName, OTHER_REPO.fullName, PLAYGROUND.fullName]) {
      for (const hook of t.github.repo(name).hooks.values()) if (hook.config.secret) secrets.add(hook.config.secret);
    }
    return [...secrets];
  };

  beforeAll(async () => {
    t = await createTestApp({ role: 'api' });
    port = (t.app.getHttpServer().address() as { port: number }).port;
    const main = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    const other = await installRepo(t, OTHER_REPO.fullName, OTHER_REPO.id);
    t.github.addRepo(PLAYGROUND.fullName, PLAYGROUND.id);
    ctx = {
      main: { ...EXAMPLE_REPO, ...main },
      other: { ...OTHER_REPO, ...other },
      installs: [],
    };
    ctx.installs = [ctx.main, ctx.other];
  }, 60_000);

  afterAll(async () => {
    destroyAgent();
    await t?.close();
  });

  it(`webhook: ${WEBHOOK_CASES} seeded deliveries answer as the contract says, never 5xx, always JSON`, async () => {
    const cases = Array.from({ length: WEBHOOK_CASES }, (_, i) => `w${i}`)
      .filter(selected)
      .map((id) => webhookCase(ctx, Number(id.slice(1))));
    const secrets = [ctx.main.secret, ctx.other.secret];
    const logged = captureServerErrors();
    try {
      webhookOutcomes = await pool(cases, CONCURRENCY, async (c) => {
        const res = await rawRequest(port, { method: 'POST', path: WEBHOOK_PATH, headers: c.headers, body: c.body }, 30_000);
        return { c, res, problems: checkWebhook(c, res, secrets) };
      });
    } finally {
      logged.restore();
    }
    if (process.env.FUZZ_STATS) console.log(stats(webhookOutcomes.map((o) => ({ kind: o.c.tags[0], status: o.res.status, accept: o.c.accept }))));
    const failed = webhookOutcomes.filter((o) => o.problems.length > 0);
    expect(report(failed.map(describeWebhook), cases.length, logged.lines())).toEqual([]);
    const health = await rawRequest(port, { method: 'GET', path: '/health' });
    expect(health.status).toBe(200);
  }, 120_000);

  it('stores an event only for a validly signed, well-formed delivery, and every one answered received is stored', async () => {
    const rows: Array<{ id: string; delivery_id: string; repo: string; github_event: string }> = await t.db.query('SELECT id, delivery_id, repo, github_event FROM events');
    const received = new Map<string, WebhookOutcome>();
    for (const o of webhookOutcomes) {
      const body = jsonOf(o.res.text) as { status?: string; event_id?: string } | undefined;
      if (o.res.status === 200 && body?.status === 'received' && body.event_id) received.set(body.event_id, o);
    }
    const problems: string[] = [];
    for (const row of rows) {
      const o = received.get(row.id);
      if (!o) {
        const from = webhookOutcomes.filter((x) => x.c.deliveryId === row.delivery_id).map((x) => `${x.c.id} [${x.c.tags.join(', ')}] → ${x.res.status}`);
        problems.push(`row ${row.id} (delivery ${preview(row.delivery_id, 40)}) was never answered "received"; sent by: ${from.join(' | ') || 'no case'}`);
        continue;
      }
      if (o.c.signedFor.length === 0) problems.push(`${o.c.id} [${o.c.tags.join(', ')}]: stored without a valid signature (${SEED_TAG} FUZZ_CASE=${o.c.id})`);
      else if (!o.c.signedFor.some((name) => name.toLowerCase() === row.repo.toLowerCase())) {
        problems.push(`${o.c.id} [${o.c.tags.join(', ')}]: stored for ${row.repo} but signed for ${o.c.signedFor.join('/')} (${SEED_TAG} FUZZ_CASE=${o.c.id})`);
      }
      if (o.c.deliveryId !== row.delivery_id) problems.push(`${o.c.id}: stored delivery ${preview(row.delivery_id, 40)}, sent ${preview(o.c.deliveryId, 40)}`);
    }
    for (const [eventId, o] of received) {
      if (!rows.some((row) => row.id === eventId)) problems.push(`${o.c.id} [${o.c.tags.join(', ')}]: answered received (${eventId}) but nothing is stored`);
    }
    // Every validly signed, well-formed delivery was accepted.
    const mustAccept = webhookOutcomes.filter((o) => o.c.accept.length === 1 && o.c.accept[0] === 200 && o.c.exact);
    const accepted = mustAccept.filter((o) => o.res.status === 200);
    if (!ONLY) expect(mustAccept.length).toBeGreaterThan(WEBHOOK_CASES / 10 - 1);
    expect(report(problems, rows.length)).toEqual([]);
    expect(accepted.length).toBe(mustAccept.length);
  });

  it(`management API: ${MANAGEMENT_CASES} seeded requests answer as the contract says, never 5xx, always JSON`, async () => {
    const eventIds = ((await t.db.query('SELECT id FROM events ORDER BY id LIMIT 50')) as Array<{ id: string }>).map((row) => row.id);
    const m: MgmtCtx = { token: t.auth.Authorization.slice('Bearer '.length), eventIds };
    const cases = Array.from({ length: MANAGEMENT_CASES }, (_, i) => `m${i}`)
      .filter(selected)
      .map((id) => mgmtCase(m, Number(id.slice(1))));
    const logged = captureServerErrors();
    let outcomes: Array<{ c: MgmtCase; res: RawResponse; problems: string[] }>;
    try {
      outcomes = await pool(cases, CONCURRENCY, async (c) => {
        const res = await rawRequest(port, { method: c.method, path: c.path, headers: c.headers, body: c.body }, 30_000);
        return { c, res, problems: checkMgmt(c, res, allSecrets()) };
      });
    } finally {
      logged.restore();
    }
    if (process.env.FUZZ_STATS) console.log(stats(outcomes.map((o) => ({ kind: o.c.tags[0], status: o.res.status, accept: o.c.accept }))));
    const failed = outcomes.filter((o) => o.problems.length > 0);
    const lines = failed.map((o) => `${o.c.id} [${o.c.tags.join(', ')}] ${o.c.method} ${preview(o.c.path, 120)} → ${o.res.status} ${preview(o.res.text, 120)} :: ${o.problems.join('; ')}\n    body ${preview(o.c.body, 80)}\n    replay: ${SEED_TAG} FUZZ_CASE=${o.c.id}`);
    expect(report(lines, cases.length, logged.lines())).toEqual([]);
  }, 120_000);

  it('is still up: GET /health is 200, and the installed repositories still verify', async () => {
    const health = await rawRequest(port, { method: 'GET', path: '/health' });
    expect(health.status).toBe(200);
    const body = JSON.stringify({ zen: 'still here', repository: { id: EXAMPLE_REPO.id, full_name: EXAMPLE_REPO.fullName } });
    const res = await rawRequest(port, {
      method: 'POST', path: WEBHOOK_PATH, body: Buffer.from(body),
      headers: { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': `fz-final-${SEED}`, 'x-github-hook-id': String(ctx.main.hookId), 'x-hub-signature-256': sign(ctx.main.secret, body) },
    });
    expect(res.status).toBe(200);
  });
});
