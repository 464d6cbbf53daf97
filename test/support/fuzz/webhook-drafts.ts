// One Draft per kind of webhook case: what is sent (body, headers, signature) before the oracle
// works out what the contract allows. Each draws from the case's own Rng, in a fixed order.
import { gzipSync } from 'node:zlib';
import { pullRequestPayload } from '../deliveries.js';
import { OTHER_REPO, PLAYGROUND, type Ctx } from './fixtures.js';
import type { Rng } from './rng.js';
import { preview } from './text.js';
import { formBody, goodBody, goodRequestBody, malformedBody, REVIEW_ACTIONS, serialize } from './webhook-bodies.js';
import type { WebhookKind } from './webhook-cases.js';
import { forcedDraft } from './webhook-forced.js';
import {
  contentTypeHeader,
  deliveryHeader,
  eventHeader,
  hookHeader,
  signatureVariant,
  targetHeader,
} from './webhook-headers.js';
import { edgeJson, MUTATORS } from './webhook-odd-json.js';
import type { Draft, Header } from './webhook-oracle.js';
import { tamperedDraft } from './webhook-tampered.js';

export function draftFor(kind: WebhookKind, r: Rng, ctx: Ctx, unique: string): Draft {
  const secret = ctx.main.secret;
  let draft: Draft;
  switch (kind) {
    case 'valid': {
      const g = goodRequestBody(r);
      draft = {
        tags: [kind, g.event, g.form ? 'form' : 'json'],
        body: g.body,
        contentType: g.contentType,
        event: g.event,
        signature: { secret },
      };
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
      draft = {
        tags,
        body: serialize(r, p, form),
        contentType: form ? 'application/x-www-form-urlencoded' : 'application/json',
        event: 'pull_request',
        signature: { secret },
      };
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
      draft = {
        tags: [kind, f.tag],
        body: f.body,
        contentType: f.contentType ?? 'application/x-www-form-urlencoded',
        event: 'pull_request',
        signature: { secret },
      };
      break;
    }
    case 'headers': {
      const g = goodRequestBody(r);
      draft = {
        tags: [kind, g.event],
        body: g.body,
        contentType: g.contentType,
        event: g.event,
        signature: { secret },
      };
      const pools = [
        () => {
          const h = eventHeader(r);
          draft.event = h.value;
          return h.tag;
        },
        () => {
          const h = deliveryHeader(r, unique);
          draft.delivery = h.value;
          return h.tag;
        },
        () => {
          const h = hookHeader(r, ctx);
          draft.hook = h.value;
          return h.tag;
        },
        () => {
          const h = targetHeader(r);
          draft.target = h.value;
          return h.tag;
        },
        () => {
          const h = contentTypeHeader(r);
          // Keep the body consistent with a JSON or form type so the header is what is tested.
          const form =
            typeof h.value === 'string' && h.value.toLowerCase().startsWith('application/x-www-form-urlencoded');
          draft.body = serialize(r, g.obj, form);
          draft.contentType = h.value;
          return h.tag;
        },
        () => {
          draft.extra = {
            ...draft.extra,
            'x-github-hook-installation-target-id': r.pick(['-1', 'abc', '1e400', r.unicode(8)]),
          };
          return 'target-id junk';
        },
        () => {
          draft.extra = { ...draft.extra, 'user-agent': r.unicode(r.int(0, 2000)) };
          return 'user-agent junk';
        },
        () => {
          draft.extra = { ...draft.extra, 'x-github-enterprise-host': '../../', 'x-forwarded-for': 'x, y, 999.1.1.1' };
          return 'proxy junk';
        },
      ];
      for (let n = r.int(1, 3); n > 0; n--) draft.tags.push(r.pick(pools)());
      break;
    }
    case 'signature': {
      const g = goodRequestBody(r);
      const s = signatureVariant(r, secret, g.body);
      draft = {
        tags: [kind, s.tag, g.event],
        body: g.body,
        contentType: g.contentType,
        event: g.event,
        signature: { header: s.value },
      };
      if (r.bool(0.2)) {
        draft.hook = null;
        draft.tags.push('no hook id');
      }
      break;
    }
    case 'tampered':
      draft = tamperedDraft(r, ctx);
      break;
    case 'unsigned-junk': {
      const body = r.bool() ? malformedBody(r).body : goodRequestBody(r).body;
      const s = r.bool(0.5)
        ? { value: null as Header, tag: 'signature: missing' }
        : signatureVariant(r, r.hex(64), body);
      const h = hookHeader(r, ctx);
      const e = eventHeader(r);
      const d = deliveryHeader(r, unique);
      draft = {
        tags: [kind, s.tag, h.tag, e.tag, d.tag],
        body,
        hook: h.value,
        event: e.value,
        delivery: d.value,
        signature: { header: s.value },
      };
      if (r.bool(0.3)) {
        const c = contentTypeHeader(r);
        draft.contentType = c.value;
        draft.tags.push(c.tag);
      }
      break;
    }
    case 'hookless': {
      const g = goodBody(
        r,
        r.bool(0.7) ? undefined : r.pick([OTHER_REPO, PLAYGROUND, { fullName: 'nobody/nothing', id: 1 }]),
      );
      const json = Buffer.from(JSON.stringify(g.obj));
      const signer = r.pick([ctx.main, ctx.other]);
      draft = {
        tags: [
          kind,
          g.event,
          `repo ${String((g.obj.repository as { full_name?: unknown } | undefined)?.full_name)}`,
          `signed by ${signer.fullName}`,
        ],
        body: json,
        event: g.event,
        hook: null,
        signature: { secret: signer.secret },
      };
      break;
    }
    case 'encoding': {
      const g = goodBody(r);
      const json = Buffer.from(JSON.stringify(g.obj));
      const variant = r.int(0, 4);
      if (variant === 0)
        draft = {
          tags: [kind, 'real gzip, signed over the JSON'],
          body: gzipSync(json),
          decoded: json,
          encoding: 'gzip',
          event: g.event,
          signature: { secret },
        };
      else if (variant === 1)
        draft = { tags: [kind, 'identity'], body: json, encoding: 'identity', event: g.event, signature: { secret } };
      else {
        const encoding = r.pick(['gzip', 'deflate', 'br', 'x-fuzz', 'gzip, gzip', 'GZIP']);
        draft = {
          tags: [kind, `garbage under ${encoding}`],
          body: r.bool() ? json : r.bytes(200),
          encoding,
          encodingGarbage: true,
          event: g.event,
          signature: { secret },
        };
      }
      break;
    }
    case 'huge-string': {
      const p = pullRequestPayload({ number: r.int(1, 99999), sha: r.hex(40) });
      const size = r.int(1, 6) * 1024 * 1024;
      p.pull_request.body = r.bool() ? 'x'.repeat(size) : r.unicode(size / 4);
      draft = {
        tags: [kind, `${size} chars`],
        body: serialize(r, p, r.bool(0.3)),
        event: 'pull_request',
        signature: { secret },
      };
      if (draft.body[0] !== 0x7b) draft.contentType = 'application/x-www-form-urlencoded';
      break;
    }
    case 'too-large':
    case 'at-limit':
    case 'header-overflow':
    case 'unsigned-deep-nul':
    case 'deep-million':
      draft = forcedDraft(kind, r, secret);
      break;
  }
  return draft;
}
