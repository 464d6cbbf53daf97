// Odd values for each webhook header, and spellings of the signature that are close but wrong.
import { createHash, createHmac } from 'node:crypto';
import { sign } from '../signing.js';
import type { Ctx } from './fixtures.js';
import type { Rng } from './rng.js';
import { preview } from './text.js';
import type { Header } from './webhook-oracle.js';

const show = (value: Header, max: number) =>
  preview(Array.isArray(value) ? value.join(' | ') : (value ?? '(none)'), max);

export function eventHeader(r: Rng): { value: Header; tag: string } {
  const value = r.pick<Header>([
    null,
    '',
    ' ',
    'pull request',
    'PULL_REQUEST',
    'Push',
    'x'.repeat(64),
    'x'.repeat(65),
    'x'.repeat(r.int(1000, 8000)),
    r.unicode(r.int(1, 20)),
    '../../etc/passwd',
    'push\t',
    '-',
    '_push',
    'push1',
    'ping,push',
    '__proto__',
    'constructor',
    'pull_request ',
    'a',
    'zz_top',
  ]);
  return { value, tag: `event=${show(value, 40)}` };
}

export function deliveryHeader(r: Rng, unique: string): { value: Header; tag: string } {
  const value = r.pick<Header>([
    null,
    '',
    'a b',
    `${r.unicode(r.int(1, 20))}-${unique}`,
    `${unique}-${'x'.repeat(100 - unique.length - 1)}`,
    `${unique}-${'x'.repeat(101 - unique.length)}`,
    'x'.repeat(r.int(1000, 8000)),
    `../${unique}`,
    `${unique}-ABCDEF`,
    `{${unique}}`,
    "'; DROP TABLE events;--",
    `%00${unique}`,
    `${unique}\t`,
    `0`,
  ]);
  return { value, tag: `delivery=${show(value, 40)}` };
}

export function hookHeader(r: Rng, ctx: Ctx): { value: Header; tag: string } {
  const h = ctx.main.hookId;
  const value = r.pick<Header>([
    null,
    '-1',
    '1e3',
    '99999999999999999999',
    '0x10',
    ` ${h}`,
    `${h} `,
    '١٢',
    '１２',
    '',
    'abc',
    `${h}.0`,
    `+${h}`,
    `0${h}`,
    String(h + 1000),
    '0',
    [String(h), String(h)],
    String(ctx.other.hookId),
    `${h}${'0'.repeat(20)}`,
    `-${h}`,
    `${h}abc`,
    'NaN',
  ]);
  return { value, tag: `hook=${show(value, 40)}` };
}

export function targetHeader(r: Rng): { value: Header; tag: string } {
  const value = r.pick<Header>([
    null,
    'repository',
    ' repository ',
    'Repository',
    'organization',
    'integration',
    'business',
    '',
    'repository, repository',
    r.unicode(5),
    'REPOSITORY',
  ]);
  return { value, tag: `target=${show(value, 30)}` };
}

export function contentTypeHeader(r: Rng): { value: Header; tag: string } {
  const value = r.pick<Header>([
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'text/plain',
    'application/octet-stream',
    null,
    '',
    'multipart/form-data; boundary=x',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    ';;;',
    'a'.repeat(5000),
    'application/vnd.github+json',
  ]);
  return { value, tag: `content-type=${show(value, 40)}` };
}

export function signatureVariant(r: Rng, secret: string, body: Buffer): { value: Header; tag: string } {
  const good = sign(secret, body);
  const hex = good.slice(7);
  const hmac = (algo: string, key: string) => createHmac(algo, key).update(body).digest('hex');
  const variants: Array<[string, Header]> = [
    ['missing', null],
    ['empty', ''],
    ['prefix only', 'sha256='],
    ['sha1 HMAC', `sha1=${hmac('sha1', secret)}`],
    ['SHA256= prefix', `SHA256=${hex}`],
    ['upper-case hex', `sha256=${hex.toUpperCase()}`],
    ['63 hex', good.slice(0, -1)],
    ['65 hex', `${good}0`],
    ['last hex changed', `${good.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`],
    ['non-hex', `sha256=${'g'.repeat(64)}`],
    ['base64 digest', `sha256=${Buffer.from(hex, 'hex').toString('base64')}`],
    ['sha256: separator', `sha256:${hex}`],
    ['spaces around', ` ${good} `],
    ['two values (good, bad)', [good, `sha256=${'0'.repeat(64)}`]],
    ['two values (bad, good)', [`sha256=${'0'.repeat(64)}`, good]],
    ['comma list', `${good},${good}`],
    ['plain SHA-256 of the body', `sha256=${createHash('sha256').update(body).digest('hex')}`],
    ['HMAC with empty key', `sha256=${hmac('sha256', '')}`],
    ['HMAC with key + newline', `sha256=${hmac('sha256', `${secret}\n`)}`],
    ['HMAC with upper-case key', `sha256=${hmac('sha256', secret.toUpperCase())}`],
    ['HMAC-SHA512', `sha256=${hmac('sha512', secret)}`],
    ['zeros', `sha256=${'0'.repeat(64)}`],
    ['8000 chars', `sha256=${'a'.repeat(8000)}`],
    ['unicode', `sha256=${r.unicode(32)}`],
    ['odd-length hex', `sha256=${hex.slice(0, 33)}`],
    ['sha256 twice', `sha256=sha256=${hex}`],
  ];
  const [tag, value] = r.pick(variants);
  return { value, tag: `signature: ${tag}` };
}
