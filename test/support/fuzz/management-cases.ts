// The management API case generator and its oracle: case `m<index>` is drawn from its own seed,
// and carries the statuses the contract allows and the answer shape expected for each success.
import { enc, eventIdSegment, listQuery, repoPath } from './management-paths.js';
import { authHeader, installBody } from './management-payloads.js';
import { caseSeed, Rng } from './rng.js';

export type Shape = 'installation' | 'rotated' | 'repos' | 'eventList' | 'event' | 'repoConfig' | 'none';

export interface MgmtCase {
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

export interface MgmtCtx {
  token: string;
  /** Events stored by the webhook phase (ids), for GET/retry of real rows. */
  eventIds: string[];
}

const MGMT_KINDS = [
  'install',
  'uninstall',
  'rotate',
  'listRepos',
  'getEvent',
  'retryEvent',
  'listEvents',
  'wrongRoute',
  'repoConfig',
] as const;
type MgmtKind = (typeof MGMT_KINDS)[number];

export function mgmtCase(m: MgmtCtx, seed: number, index: number): MgmtCase {
  const r = new Rng(caseSeed(seed, 2, index));
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
    case 'repoConfig': {
      const p = names(true);
      path = `/api/v1/repos/${p.owner}/${p.repo}/config`;
      // The playground is installed and uninstalled concurrently.
      byName(p.cls, p.cls === 'example' ? [200] : [200, 404], [404]);
      shapes[200] = 'repoConfig';
      break;
    }
    case 'listRepos': {
      const q = r.bool(0.5)
        ? `?${r.pick(['x=1', 'limit=-1', '%E0%A4%A', 'secret=1', `${enc(r.unicode(4))}=${enc(r.unicode(4))}`])}`
        : '';
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
        ['PUT', '/api/v1/repos/a/b/install'],
        ['PATCH', '/api/v1/events'],
        ['DELETE', '/api/v1/events'],
        ['GET', '/api/v1/repos/a/b/install'],
        ['GET', '/api/v1/repos/a/b'],
        ['POST', '/api/v1/repos'],
        ['GET', '/api/v1/'],
        ['GET', `/api/v1/${enc(r.unicode(6))}`],
        ['GET', '/api/v1/repos/a/b/c/d/install'],
        ['GET', '/api/v2/events'],
        ['GET', '/api/v1/events/../repos'],
        ['OPTIONS', '/api/v1/events'],
        ['GET', '/%2e%2e/%2e%2e/etc/passwd'],
        ['TRACE', '/api/v1/events'],
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

  const headers: Record<string, string | undefined> = {
    'content-type': contentType,
    accept: r.pick(['application/json', '*/*', 'text/html']),
  };
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
