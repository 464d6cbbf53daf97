// Well-formed JSON that is odd all the same: wrong types in the fields Nectr reads, and exotic
// valid JSON (deep nesting, huge numbers, lone surrogates, NUL) that Postgres or Node may find hard.
import type { Rng } from './rng.js';
import { preview } from './text.js';

/** `value` as an object whose members a mutator may set (arrays too, as JSON allows). */
const objectAt = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;

/** Wrong types and odd values in the fields Nectr reads: a well-formed JSON object all the same. */
const repoOf = (p: Record<string, unknown>) => {
  if (typeof p.repository !== 'object' || p.repository === null || Array.isArray(p.repository)) p.repository = {};
  return p.repository as Record<string, unknown>;
};
export const MUTATORS: Array<[string, (p: Record<string, unknown>, r: Rng) => unknown]> = [
  [
    'repository.id',
    (p, r) =>
      (repoOf(p).id = r.pick<unknown>([
        '186853002',
        [186853002],
        { id: 1 },
        -1,
        1.5,
        1e300,
        2 ** 53 + 1,
        0,
        null,
        true,
        '',
        -186853002,
      ])),
  ],
  [
    'repository.full_name',
    (p, r) =>
      (repoOf(p).full_name = r.pick<unknown>([
        123,
        ['Codertocat/Hello-World'],
        '../../etc/passwd',
        '',
        'x'.repeat(r.int(100, 5000)),
        'Codertocat/Hello-World/../../x',
        r.unicode(10),
        null,
        {},
        'CODERTOCAT/HELLO-WORLD',
      ])),
  ],
  [
    'repository',
    (p, r) => (p.repository = r.pick<unknown>(['Codertocat/Hello-World', [], null, 42, {}, [{ id: 186853002 }]])),
  ],
  ['pull_request', (p, r) => (p.pull_request = r.pick<unknown>(['string', [], null, 42, {}, true, [{ number: 1 }]]))],
  [
    'number',
    (p, r) => {
      const value = r.pick<unknown>(['7', -1, 1e20, 0, 2 ** 31, 2 ** 31 - 1, 1.5, null, [], '1e3', -0, 2 ** 53]);
      p.number = value;
      const pull = objectAt(p.pull_request);
      if (pull) pull.number = value;
      return value;
    },
  ],
  [
    'head.sha',
    (p, r) => {
      const pull = objectAt(p.pull_request);
      if (!pull) return 'n/a';
      const value = r.pick<unknown>([
        r.hex(39),
        r.hex(41),
        r.hex(63),
        r.hex(65),
        r.hex(40).toUpperCase(),
        'g'.repeat(40),
        '',
        123,
        null,
        {},
        [r.hex(40)],
        ` ${r.hex(40)}`,
      ]);
      const head = objectAt(pull.head);
      if (r.bool(0.2)) pull.head = r.pick<unknown>([null, 'main', [], 7]);
      else if (head) head.sha = value;
      return value;
    },
  ],
  [
    'action',
    (p, r) =>
      (p.action = r.pick<unknown>([
        r.unicode(r.int(1, 20)),
        'x'.repeat(65),
        'x'.repeat(64),
        '',
        42,
        null,
        [],
        'opened ',
        'OPENED',
        '__proto__',
        'constructor',
        'opened_pull_request',
        { a: 1 },
      ])),
  ],
  [
    'draft',
    (p, r) => {
      const pull = objectAt(p.pull_request);
      return pull && (pull.draft = r.pick<unknown>(['true', 1, null, 'false', {}, [true]]));
    },
  ],
  [
    'updated_at',
    (p, r) => {
      const pull = objectAt(p.pull_request);
      return (
        pull &&
        (pull.updated_at = r.pick<unknown>([
          'garbage',
          '',
          123,
          '9999-99-99',
          '1970-01-01T00:00:00Z',
          '2026-02-30T10:00:00Z',
          null,
          '1',
          'Tue, 01 Jan 2030 00:00:00 GMT',
          [],
          1e15,
        ]))
      );
    },
  ],
  [
    'unicode',
    (p, r) => {
      const pull = objectAt(p.pull_request);
      if (pull) pull.title = r.unicode(r.int(1, 300));
      p.sender = { login: r.unicode(r.int(1, 30)) };
      return 'title/sender';
    },
  ],
  [
    'extra keys',
    (p, r) => {
      for (let i = r.int(1, 20); i > 0; i--) p[r.unicode(r.int(1, 12))] = r.json(3);
      return 'random';
    },
  ],
  [
    'wrong-type siblings',
    (p, r) => {
      p.installation = r.pick<unknown>(['1', [], null]);
      p.hook = r.pick<unknown>(['x', 5, []]);
      p.sender = r.pick<unknown>([null, 'octocat', [1]]);
      return 'installation/hook/sender';
    },
  ],
];

/** Valid JSON objects Postgres or Node may find hard; 200 or 400, never a 5xx. Returns JSON text. */
export function edgeJson(r: Rng, base: Record<string, unknown>): { text: string; tag: string; raw?: Buffer } {
  const json = JSON.stringify(base);
  const splice = (extra: string) => `${json.slice(0, -1)},${extra}}`;
  const depth = r.pick([1000, 5000, 10_000, 50_000, 100_000]);
  const kind = r.int(0, 12);
  switch (kind) {
    case 0:
      return { text: splice(`"deep":${'['.repeat(depth)}${']'.repeat(depth)}`), tag: `${depth} nested arrays` };
    case 1:
      return { text: splice(`"deep":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`), tag: `${depth} nested objects` };
    case 2: {
      const n = r.pick([
        '1e400',
        '1e131073',
        '-1e999999',
        `1${'0'.repeat(150_000)}`,
        `0.${'0'.repeat(20_000)}1`,
        '1e-999999',
        '123456789012345678901234567890',
      ]);
      return { text: splice(`"n":${n}`), tag: `number ${preview(n, 20)}` };
    }
    case 3: {
      const s = r.pick(['"\\ud800"', '"\\udc00x"', '"\\ud800\\u0041"', '"\\uDFFF"', '"a\\ud83d"']);
      return { text: splice(`"lone":${s}`), tag: `lone surrogate ${s}` };
    }
    case 4:
      return { text: splice(`"a\\u0000b":1`), tag: 'NUL in a key' };
    case 5:
      return {
        text: json.replace(/"action":"[^"]*"/, '"action":"open\\u0000ed"').replace(/^\{/, '{"action":"open\\u0000ed",'),
        tag: 'NUL in action',
      };
    case 6:
      return {
        text: splice(`"nul":"\\u0000","deep":${'['.repeat(depth)}${']'.repeat(depth)}`),
        tag: `NUL plus ${depth} nested arrays`,
      };
    case 7:
      return {
        text: splice(`"repository":${JSON.stringify(base.repository ?? {})},"repository":{"id":"x"}`),
        tag: 'duplicate keys',
      };
    case 8:
      return {
        text: splice(`"many":{${Array.from({ length: 50_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`),
        tag: '50k keys',
      };
    case 9: {
      const text = splice('"bytes":"XX"');
      const at = text.lastIndexOf('XX');
      const raw = Buffer.concat([
        Buffer.from(text.slice(0, at)),
        Buffer.from([0xff, 0xc3]),
        Buffer.from(text.slice(at + 2)),
      ]);
      return { text, raw, tag: 'invalid UTF-8 bytes in a string' };
    }
    case 10:
      return { text: splice(`"nulkey":{"\\u0000":"\\u0000"}`), tag: 'NUL key and value' };
    case 11:
      return { text: splice(`"esc":"\\u0000\\b\\f\\n\\r\\t\\/\\\\\\"\\u2028\\uFFFF"`), tag: 'escapes' };
    default:
      return { text: `\ufeff${json}`, tag: 'UTF-8 BOM' };
  }
}
