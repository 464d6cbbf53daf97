// Management API request bodies (POST …/install) and Authorization headers, each with how the contract treats it.
import type { Rng } from './rng.js';
import { headerValue } from './text.js';

export function installBody(r: Rng): {
  body?: Buffer;
  contentType?: string;
  cls: 'ok' | 'bad' | 'maybe' | 'malformed';
  tag: string;
} {
  const events = ['pull_request', 'push', 'issues', '*', 'star', 'release'];
  const json = (value: unknown, cls: 'ok' | 'bad' | 'maybe', tag: string) => ({
    body: Buffer.from(JSON.stringify(value)),
    contentType: 'application/json',
    cls,
    tag,
  });
  const options: Array<() => ReturnType<typeof installBody>> = [
    () => ({ cls: 'ok', tag: 'no body' }),
    () => json({}, 'ok', '{}'),
    () => json({ events: [r.pick(events)] }, 'ok', 'one event'),
    () => json({ events: events.slice(0, r.int(1, events.length)) }, 'ok', 'some events'),
    () => json({ events: ['push', 'push'] }, 'ok', 'duplicate events'),
    () => json({ events: null }, 'maybe', 'events null'),
    () =>
      json(
        {
          events: r.pick<unknown>([
            'push',
            42,
            true,
            {},
            { 0: 'push' },
            [],
            [1],
            [null],
            ['nope'],
            [['push']],
            ['PUSH'],
            [' push'],
            ['push\u0000'],
          ]),
        },
        'bad',
        'events of a wrong type',
      ),
    () =>
      json({ events: Array.from({ length: r.pick([61, 1000, 100_000]) }, () => 'push') }, 'bad', 'huge events array'),
    () => json({ events: Array.from({ length: 2000 }, () => r.unicode(8)) }, 'bad', '2000 junk events'),
    () =>
      json(
        { events: ['push'], [r.pick(['evnts', 'secret', 'hook_id', 'active', 'x'])]: r.json(2) },
        'bad',
        'unknown key',
      ),
    () => ({
      body: Buffer.from('{"__proto__":{"polluted":true},"events":["push"]}'),
      contentType: 'application/json',
      cls: 'maybe',
      tag: '__proto__ key',
    }),
    // class-transformer skips a "constructor" key, so it is not reported as unknown: either answer is fine.
    () => ({
      body: Buffer.from('{"constructor":{"prototype":{"polluted":true}}}'),
      contentType: 'application/json',
      cls: 'maybe',
      tag: 'constructor.prototype',
    }),
    () => ({
      body: Buffer.from(`{"events":${'['.repeat(10_000)}${']'.repeat(10_000)}}`),
      contentType: 'application/json',
      cls: 'malformed',
      tag: '10k nested arrays' /* refused by the body parser (nesting limit), before the token is checked */,
    }),
    () => ({
      body: Buffer.from(r.pick(['{"events":', '{', 'nope', '{"events":["push",]}', "{'events':[]}"])),
      contentType: 'application/json',
      cls: 'malformed',
      tag: 'malformed JSON',
    }),
    () => ({
      body: Buffer.from(r.pick(['null', '"x"', '1', 'true'])),
      contentType: 'application/json',
      cls: 'malformed',
      tag: 'JSON scalar',
    }),
    () => ({
      body: Buffer.from(r.pick(['[]', '[{}]', '[1,2]'])),
      contentType: 'application/json',
      cls: 'maybe',
      tag: 'JSON array',
    }),
    () => ({
      body: r.bytes(r.int(1, 500)),
      contentType: 'application/json',
      cls: 'malformed',
      tag: 'random bytes as JSON',
    }),
    () => ({
      body: r.bytes(r.int(1, 500)),
      contentType: 'application/octet-stream',
      cls: 'maybe',
      tag: 'random bytes, octet-stream',
    }),
    () => ({
      body: Buffer.from('{"events":["push"]}'),
      contentType: 'text/plain',
      cls: 'maybe',
      tag: 'JSON as text/plain',
    }),
    () => ({
      body: Buffer.from('events=push'),
      contentType: 'application/x-www-form-urlencoded',
      cls: 'bad',
      tag: 'form events=push',
    }),
    () => ({
      body: Buffer.from('events=push&events=issues'),
      contentType: 'application/x-www-form-urlencoded',
      cls: 'maybe',
      tag: 'form events twice',
    }),
    () => ({
      body: Buffer.from('events=%E0%A4%A'),
      contentType: 'application/x-www-form-urlencoded',
      cls: 'maybe',
      tag: 'form bad escape',
    }),
    () => ({
      body: Buffer.from('{"events":["push"]}'),
      contentType: 'application/json; charset=utf-7',
      cls: 'maybe',
      tag: 'charset utf-7',
    }),
  ];
  return r.pick(options)();
}

export function authHeader(r: Rng, token: string): { value?: string; ok: boolean | 'maybe'; tag: string } {
  const variants: Array<[string, string | undefined, boolean | 'maybe']> = [
    ['missing', undefined, false],
    ['empty', '', false],
    ['"Bearer"', 'Bearer', false],
    ['"Bearer "', 'Bearer ', false],
    ['wrong token', `Bearer ${r.hex(32)}`, false],
    ['Basic', `Basic ${Buffer.from(`x:${token}`).toString('base64')}`, false],
    ['token + x', `Bearer ${token}x`, false],
    ['token minus one char', `Bearer ${token.slice(0, -1)}`, false],
    ['token twice', `Bearer ${token} ${token}`, false],
    ['8000-char token', `Bearer ${'A'.repeat(8000)}`, false],
    ['unicode token', `Bearer ${r.unicode(20)}`, false],
    ['Token scheme', `Token ${token}`, false],
    ['no scheme', token, false],
    ['upper-case token', `Bearer ${token.toUpperCase()}`, false],
    ['lower-case scheme', `bearer ${token}`, true],
    ['extra spaces', `Bearer    ${token}`, true],
    ['tab separator', `Bearer\t${token}`, 'maybe'],
    ['trailing space', `Bearer ${token} `, 'maybe'],
    ['NUL-ish', `Bearer ${token}%00`, false],
    ['quoted', `Bearer "${token}"`, false],
  ];
  const [tag, value, ok] = r.pick(variants);
  return { value: value === undefined ? undefined : headerValue(value), ok, tag: `auth: ${tag}` };
}
