// Management API path and query parts: owner/repo segments, event ids, and list filters, clean or hostile.
import { EXAMPLE_REPO } from '../deliveries.js';
import { PLAYGROUND } from './fixtures.js';
import type { MgmtCtx } from './management-cases.js';
import type { Rng } from './rng.js';
import { preview } from './text.js';

export const enc = encodeURIComponent;

/** Owner/repo path segments: clean names (known or not), and traversal-looking or invalid ones. */
export function repoPath(
  r: Rng,
  allowExample: boolean,
): { owner: string; repo: string; cls: 'example' | 'playground' | 'unknown' | 'weird'; tag: string } {
  const roll = r.int(0, 9);
  if (roll <= 1 && allowExample)
    return {
      owner: 'Codertocat',
      repo: r.pick(['Hello-World', 'hello-world', 'HELLO-WORLD']),
      cls: 'example',
      tag: 'example repo',
    };
  if (roll <= 3)
    return {
      owner: r.pick(['fuzz-org', 'FUZZ-ORG']),
      repo: r.pick(['playground', 'Playground']),
      cls: 'playground',
      tag: 'playground repo',
    };
  if (roll <= 5)
    return {
      owner: r.string(r.int(1, 10)),
      repo: r.string(r.int(1, 12), 'abcdefghijklmnopqrstuvwxyz0123456789._-').replace(/^\.+$/, 'x'),
      cls: 'unknown',
      tag: 'unknown repo',
    };
  const weirdOwner = r.pick([
    '..',
    '.',
    '%2e%2e',
    '%2E%2E',
    '.git',
    'a.git',
    'x'.repeat(40),
    '%2F',
    'a%2Fb',
    '%00',
    '%E0%A4%A',
    enc('ünï'),
    '-a',
    'a-',
    'a--b',
    '_',
    '%20',
    '~',
    '%252e',
    'a;b',
    enc("'OR'1'='1"),
    enc('$(id)'),
    '%0d%0a',
    enc('😀'),
    'Codertocat%2FHello-World',
    '%5C..%5C',
    'x'.repeat(3000),
    'fuzz-org',
  ]);
  const weirdRepo = r.pick([
    '..',
    '.',
    '%2e%2e',
    '.git',
    'a.git',
    'r'.repeat(100),
    'r'.repeat(101),
    '%2F',
    'a%2F..%2Fb',
    '%00',
    '%E0%A4%A',
    enc('日本語'),
    '_',
    '-',
    '%20',
    enc('../../etc/passwd'),
    '%2e',
    'x'.repeat(3000),
    enc('<script>'),
    'playground%00',
    'hello%20world',
    '%FF',
  ]);
  // Sometimes a literal "/../" or "/./" between the segments: a different route shape altogether.
  const owner = r.bool(0.15) ? `${weirdOwner}/..` : weirdOwner;
  return { owner, repo: weirdRepo, cls: 'weird', tag: `owner=${preview(owner, 30)} repo=${preview(weirdRepo, 30)}` };
}

export function eventIdSegment(r: Rng, m: MgmtCtx): { seg: string; exists: boolean | 'maybe'; tag: string } {
  if (m.eventIds.length > 0 && r.bool(0.3)) {
    const id = r.pick(m.eventIds);
    return r.bool(0.8)
      ? { seg: id, exists: true, tag: 'a stored event' }
      : { seg: id.toUpperCase(), exists: 'maybe', tag: 'a stored event, upper-case' };
  }
  const seg = r.pick([
    r.uuid(),
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    `{${r.uuid()}}`,
    r.uuid().replace(/-/g, ''),
    r.hex(36),
    '1',
    '-1',
    '0',
    '99999999999999999999',
    'null',
    'undefined',
    '%00',
    '..',
    '%2e%2e',
    enc("' OR 1=1 --"),
    enc(r.unicode(10)),
    'x'.repeat(5000),
    `${r.uuid()}%00`,
    `${r.uuid()}.json`,
    '%E0%A4%A',
    enc('1; DROP TABLE events'),
    'NaN',
    '%20',
  ]);
  return { seg, exists: false, tag: `id ${preview(seg, 40)}` };
}

export function listQuery(r: Rng): { query: string; cls: 'ok' | 'bad' | 'maybe'; tag: string } {
  const parts: string[] = [];
  let cls: 'ok' | 'bad' | 'maybe' = 'ok';
  const worse = (c: 'ok' | 'bad' | 'maybe') => {
    if (c === 'bad' || cls === 'bad') cls = 'bad';
    else if (c === 'maybe') cls = 'maybe';
  };
  const params: Array<() => void> = [
    () => {
      const [v, c] = r.pick<[string, 'ok' | 'bad' | 'maybe']>([
        ['1', 'ok'],
        ['50', 'ok'],
        ['500', 'ok'],
        ['007', 'maybe'],
        [' 12', 'maybe'],
        ['0', 'bad'],
        ['-1', 'bad'],
        ['501', 'bad'],
        ['1.5', 'bad'],
        ['abc', 'bad'],
        ['', 'ok'], // empty is no filter
        ['1e3', 'bad'],
        ['NaN', 'bad'],
        ['Infinity', 'bad'],
        ['99999999999999999999', 'bad'],
        ['0x10', 'maybe'],
        ['1e2', 'maybe'],
        ['[]', 'bad'],
        ['true', 'bad'],
      ]);
      parts.push(`limit=${enc(v)}`);
      worse(c);
    },
    () => {
      const [v, c] = r.pick<[string, 'ok' | 'bad']>([
        ['received', 'ok'],
        ['pending', 'ok'],
        ['processing', 'ok'],
        ['completed', 'ok'],
        ['failed', 'ok'],
        ['superseded', 'ok'],
        ['RECEIVED', 'bad'],
        ['', 'ok'], // empty is no filter
        ['x', 'bad'],
        ["pending' OR '1'='1", 'bad'],
        [r.unicode(6), 'bad'],
        ['pending,failed', 'bad'],
      ]);
      parts.push(`status=${enc(v)}`);
      worse(c);
    },
    () => {
      const [v, c] = r.pick<[string, 'ok' | 'bad' | 'maybe']>([
        [EXAMPLE_REPO.fullName, 'ok'],
        ['a/b', 'ok'],
        [PLAYGROUND.fullName, 'ok'],
        ['codertocat/hello-world', 'ok'],
        ['', 'ok'], // empty is no filter
        ['a', 'bad'],
        ['../../etc/passwd', 'bad'],
        ['a/b/c', 'bad'],
        [`${'x'.repeat(200)}/y`, 'bad'],
        [r.unicode(8), 'bad'],
        ["a/b' OR 1=1--", 'bad'],
        ['%', 'bad'],
        ['a/' + 'b'.repeat(100), 'ok'],
        ['a/' + 'b'.repeat(101), 'bad'],
      ]);
      parts.push(`repo=${enc(v)}`);
      worse(c);
    },
    () => {
      parts.push(
        r.pick([
          'limit=1&limit=2',
          'status=pending&status=failed',
          'repo=a/b&repo=c/d',
          'limit[]=1',
          'repo[a]=b',
          'status[$ne]=x',
        ]),
      );
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
