// Webhook bodies: well-formed payloads (as JSON or form), malformed bytes, and odd form encodings.
import { gzipSync } from 'node:zlib';
import { example, EXAMPLE_REPO, pullRequestPayload } from '../deliveries.js';
import type { Rng } from './rng.js';

export const REVIEW_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review', 'closed', 'edited', 'labeled'];

interface Body {
  obj: Record<string, unknown>;
  event: string;
}

export function goodBody(r: Rng, install?: { fullName: string; id: number }): Body {
  const kind = r.weighted([
    [5, 'pr'],
    [2, 'push'],
    [1, 'ping'],
    [1, 'issues'],
    [1, 'minimal'],
    [1, 'random'],
  ] as const);
  let body: Body;
  switch (kind) {
    case 'pr':
      body = {
        event: 'pull_request',
        obj: pullRequestPayload({
          action: r.pick(REVIEW_ACTIONS),
          number: r.int(1, 99999),
          sha: r.hex(r.bool(0.9) ? 40 : 64),
          draft: r.bool(0.2),
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
      body = {
        event: r.pick(['star', 'watch', 'fork', 'pull_request']),
        obj: { zen: r.unicode(r.int(0, 40)), repository: { id: EXAMPLE_REPO.id, full_name: EXAMPLE_REPO.fullName } },
      };
      break;
    default: {
      // (Spreading a string would split emoji into lone surrogates: edge-json's business, not this.)
      const extra = r.json(3);
      const fields = typeof extra === 'object' && extra !== null && !Array.isArray(extra) ? extra : { extra };
      body = {
        event: r.pick(['push', 'issue_comment', 'release', 'check_run']),
        obj: { ...fields, repository: { id: EXAMPLE_REPO.id, full_name: EXAMPLE_REPO.fullName } },
      };
    }
  }
  if (install) body.obj.repository = { ...(body.obj.repository ?? {}), id: install.id, full_name: install.fullName };
  return body;
}

/** A well-formed body, sent as JSON or (one time in five) as a form, with the matching content type. */
export function goodRequestBody(r: Rng) {
  const b = goodBody(r);
  const form = r.bool(0.2);
  return {
    ...b,
    form,
    body: serialize(r, b.obj, form),
    contentType: form ? 'application/x-www-form-urlencoded' : 'application/json',
  };
}

export function serialize(r: Rng, obj: unknown, form: boolean): Buffer {
  const json = JSON.stringify(obj, null, r.bool(0.2) ? 2 : undefined);
  if (!form) return Buffer.from(json);
  return Buffer.from(
    r.bool(0.5) ? `payload=${encodeURIComponent(json)}` : new URLSearchParams({ payload: json }).toString(),
  );
}

export function malformedBody(r: Rng): { body: Buffer; tag: string } {
  const good = JSON.stringify(goodBody(r).obj);
  const kind = r.int(0, 11);
  switch (kind) {
    case 0:
      return { body: r.bytes(r.int(0, 3000)), tag: 'random bytes' };
    case 1:
      return { body: Buffer.alloc(0), tag: 'empty' };
    case 2: {
      const at = r.int(0, good.length - 1);
      return { body: Buffer.from(good.slice(0, at)), tag: `truncated at ${at}/${good.length}` };
    }
    case 3: {
      const text = r.pick([
        '[1,2]',
        'null',
        '"str"',
        '42',
        'true',
        '[]',
        '[{}]',
        ' ',
        '[{"repository":{"id":186853002}}]',
        '-0',
        '1e999',
      ]);
      return { body: Buffer.from(text), tag: `top-level ${text}` };
    }
    case 4: {
      const depth = r.pick([1000, 10_000, 100_000, 1_000_000]);
      return {
        body: Buffer.from(r.bool() ? '['.repeat(depth) : '{"a":'.repeat(depth)),
        tag: `${depth} unclosed levels`,
      };
    }
    case 5: {
      const tail = r.pick(['x', '}', '\u0000', ',', ' {}', '\n\n{"a":1}']);
      return { body: Buffer.from(good + tail), tag: `trailing ${JSON.stringify(tail)}` };
    }
    case 6: {
      const text = r.pick([
        "{'a':1}",
        '{a:1}',
        '{"a":NaN}',
        '{"a":1,}',
        '{"a":1}/*c*/',
        '{"a":undefined}',
        '{"a":0x10}',
        '{"a":Infinity}',
        '{"a":"\\x41"}',
        '{"a":"\n"}',
        '{"a":01}',
      ]);
      return { body: Buffer.from(text), tag: `not JSON ${text}` };
    }
    case 7:
      return { body: Buffer.from(good, 'utf16le'), tag: 'UTF-16LE' };
    case 8:
      return { body: gzipSync(good), tag: 'gzip bytes, no Content-Encoding' };
    case 9:
      return { body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), tag: 'invalid UTF-8 braces' };
    case 10: {
      const b = Buffer.from(good);
      const at = r.int(0, b.length - 1);
      b[at] = r.pick([0x22, 0x7b, 0x5d, 0x00, 0x5c]);
      return { body: b, tag: `byte ${at} changed` };
    }
    default:
      return { body: Buffer.from(`${good.slice(0, -1)},"deep":${'['.repeat(50_000)}}`), tag: 'deep and unclosed' };
  }
}

export function formBody(r: Rng): { body: Buffer; tag: string; contentType?: string } {
  const json = JSON.stringify(goodBody(r).obj);
  const options: Array<() => { body: Buffer; tag: string; contentType?: string }> = [
    () => ({ body: Buffer.from(`other=${encodeURIComponent(json)}`), tag: 'payload missing' }),
    () => ({ body: Buffer.from('payload='), tag: 'payload empty' }),
    () => ({ body: Buffer.from('payload=%E0%A4%A'), tag: 'payload=%E0%A4%A' }),
    () => ({ body: Buffer.from(`payload=%E0%A4%A${encodeURIComponent(json)}`), tag: 'bad escape then JSON' }),
    () => ({
      body: Buffer.from(`payload=${encodeURIComponent(json)}&payload=${encodeURIComponent('{"x":1}')}`),
      tag: 'double payload (first valid)',
    }),
    () => ({
      body: Buffer.from(`payload=not-json&payload=${encodeURIComponent(json)}`),
      tag: 'double payload (first garbage)',
    }),
    () => ({ body: Buffer.from(`payload=${encodeURIComponent(r.unicode(r.int(1, 50)))}`), tag: 'non-JSON payload' }),
    () => ({ body: Buffer.from(`payload=${json}`), tag: 'payload not percent-encoded' }),
    () => ({ body: Buffer.from(`%70ayload=${encodeURIComponent(json)}`), tag: 'percent-encoded field name' }),
    () => ({
      body: Buffer.from(`payload=${encodeURIComponent(json)}`),
      tag: 'form body under a JSON content type',
      contentType: 'application/json',
    }),
    () => ({ body: Buffer.from(json), tag: 'JSON body under the form content type' }),
    () => ({ body: Buffer.from(`payload=${encodeURIComponent('[1,2]')}`), tag: 'payload is an array' }),
    () => ({ body: Buffer.from(`&&&==&payload&=`), tag: 'separators only' }),
    () => ({
      body: Buffer.from(`payload=${encodeURIComponent(json)}`),
      tag: 'form with charset',
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
    }),
    () => ({ body: r.bytes(r.int(1, 500)), tag: 'random bytes' }),
  ];
  return r.pick(options)();
}
