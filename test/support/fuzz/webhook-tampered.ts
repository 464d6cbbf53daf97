// Tampered deliveries: a signature that was right for some other body, secret or installation.
import { EXAMPLE_REPO } from '../deliveries.js';
import { OTHER_REPO, type Ctx } from './fixtures.js';
import type { Rng } from './rng.js';
import { goodBody } from './webhook-bodies.js';
import type { Draft } from './webhook-oracle.js';

/** One of the tampered variants, signed by the main installation unless the variant says otherwise. */
export function tamperedDraft(r: Rng, ctx: Ctx): Draft {
  const secret = ctx.main.secret;
  const g = goodBody(r);
  const json = Buffer.from(JSON.stringify(g.obj));
  const variants: Array<() => Draft> = [
    () => ({
      tags: ['signed, then a newline appended'],
      body: Buffer.concat([json, Buffer.from('\n')]),
      signature: { secret, signOver: json },
    }),
    () => ({
      tags: ['signed, then a space inserted'],
      body: Buffer.from(`{ ${json.toString().slice(1)}`),
      signature: { secret, signOver: json },
    }),
    () => ({
      tags: ['signed as JSON, sent as form'],
      body: Buffer.from(`payload=${encodeURIComponent(json.toString())}`),
      contentType: 'application/x-www-form-urlencoded',
      signature: { secret, signOver: json },
    }),
    () => ({
      tags: ['signed pretty, sent compact'],
      body: json,
      signature: { secret, signOver: Buffer.from(JSON.stringify(g.obj, null, 2)) },
    }),
    () => ({ tags: ['signed by the other repo, main hook id'], body: json, signature: { secret: ctx.other.secret } }),
    () => ({
      tags: ['signed by main, other hook id'],
      body: json,
      hook: String(ctx.other.hookId),
      signature: { secret },
    }),
    () => {
      const b = Buffer.from(JSON.stringify(goodBody(r, OTHER_REPO).obj));
      return { tags: ['other repo in body, signed by main, no hook id'], body: b, hook: null, signature: { secret } };
    },
    () => {
      const b = Buffer.from(JSON.stringify(goodBody(r, OTHER_REPO).obj));
      return {
        tags: ['other repo in body, signed by other, no hook id'],
        body: b,
        hook: null,
        signature: { secret: ctx.other.secret },
      };
    },
    () => ({
      tags: ['main repo in body, signed by other, no hook id'],
      body: json,
      hook: null,
      signature: { secret: ctx.other.secret },
    }),
    () => {
      const obj = goodBody(r).obj;
      obj.repository = { id: OTHER_REPO.id, full_name: EXAMPLE_REPO.fullName };
      return {
        tags: ['other id, main name, signed by other, no hook id'],
        body: Buffer.from(JSON.stringify(obj)),
        hook: null,
        signature: { secret: ctx.other.secret },
      };
    },
    () => ({
      tags: ['other hook id, signed by other'],
      body: json,
      hook: String(ctx.other.hookId),
      signature: { secret: ctx.other.secret },
    }),
    () => ({ tags: ['signed with a random secret'], body: json, signature: { secret: r.hex(64) } }),
    () => ({ tags: ['signed over an empty body'], body: json, signature: { secret, signOver: Buffer.alloc(0) } }),
  ];
  const draft: Draft = r.pick(variants)();
  draft.tags.unshift('tampered', g.event);
  draft.event = g.event;
  return draft;
}
