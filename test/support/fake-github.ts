// A fake GitHub REST API: a real HTTP server on 127.0.0.1 that octokit talks to through
// GITHUB_API_URL. It keeps repositories, hooks, pull requests and reviews in memory, records every
// request, and can be told to fail the next calls to a route the way GitHub fails.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: any;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface FakeHook {
  id: number;
  name: string;
  active: boolean;
  events: string[];
  config: { url: string; content_type: string; secret?: string; insecure_ssl: string };
}

export interface FakePullFile {
  filename: string;
  status?: string;
  additions?: number;
  deletions?: number;
  patch?: string;
}

export interface FakePull {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  head: { sha: string; ref: string };
  base: { sha: string; ref: string };
  files: FakePullFile[];
}

export interface FakeReview {
  id: number;
  body: string;
  commit_id: string;
  event: string;
  comments: Array<{ path: string; line: number; side?: string; body: string }>;
  html_url: string;
}

export interface FakeDelivery {
  id: number;
  guid: string;
  status_code: number;
  status: string;
  event: string;
  action: string | null;
  delivered_at: string;
  redelivery: boolean;
}

export interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  hooks: Map<number, FakeHook>;
  pulls: Map<number, FakePull>;
  reviews: Map<number, FakeReview[]>;
  deliveries: Map<number, FakeDelivery[]>;
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Hold the response this long (for timeouts). */
  delayMs?: number;
  /** Destroy the socket instead of answering (a network error). */
  drop?: boolean;
}

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly repos = new Map<string, FakeRepo>();
  /** Requests whose Authorization header is not `token <this>`/`Bearer <this>` get a 401. */
  token = 'ghp_fake_token_for_tests';
  private failures: Failure[] = [];
  private slow: Array<{ method: string; path: RegExp; ms: number; onHeld?: () => void }> = [];
  private server?: Server;
  private nextId = 1000;
  private reviewHook?: (repo: FakeRepo, pull: FakePull, body: any) => number | void;
  /** Consulted for every request: a failure to answer with, 'slow' to handle it but hold the answer, or nothing. */
  chaos?: (method: string, path: string) => Omit<Failure, 'method' | 'path'> | { slowMs: number } | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  addRepo(fullName: string, id = this.nextId++): FakeRepo {
    const [owner, name] = fullName.split('/');
    const repo: FakeRepo = { id, owner, name, hooks: new Map(), pulls: new Map(), reviews: new Map(), deliveries: new Map() };
    this.repos.set(fullName.toLowerCase(), repo);
    return repo;
  }

  repo(fullName: string): FakeRepo {
    const repo = this.repos.get(fullName.toLowerCase());
    if (!repo) throw new Error(`fake GitHub has no repo ${fullName}`);
    return repo;
  }

  addPull(fullName: string, pull: Partial<FakePull> & { number: number; files: FakePullFile[] }): FakePull {
    const full: FakePull = {
      title: `PR #${pull.number}`,
      body: 'A change.',
      state: 'open',
      draft: false,
      head: { sha: 'a'.repeat(40), ref: 'feature' },
      base: { sha: 'b'.repeat(40), ref: 'main' },
      ...pull,
    };
    this.repo(fullName).pulls.set(full.number, full);
    return full;
  }

  reviewsOf(fullName: string, number: number): FakeReview[] {
    return this.repo(fullName).reviews.get(number) ?? [];
  }

  /** The next `times` calls matching method and path answer `status` (GitHub-style JSON body). */
  failNext(method: string, path: RegExp, status: number, options: Partial<Omit<Failure, 'method' | 'path' | 'status'>> & { times?: number } = {}): void {
    for (let i = 0; i < (options.times ?? 1); i++) this.failures.push({ method, path, status, ...options });
  }

  /** The next call matching is handled normally, but its answer is held back `ms` (it may never arrive). */
  slowNext(method: string, path: RegExp, ms: number, onHeld?: () => void): void {
    this.slow.push({ method, path, ms, onHeld });
  }

  clearFailures(): void {
    this.failures = [];
  }

  /** Called when a review is created; return a status (e.g. 422) to reject it like GitHub would. */
  onReview(hook: (repo: FakeRepo, pull: FakePull, body: any) => number | void): void {
    this.reviewHook = hook;
  }

  calls(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, query: url.searchParams, headers: req.headers, body, at: Date.now() });

    const index = this.failures.findIndex((f) => f.method === method && f.path.test(url.pathname));
    if (index >= 0) {
      const [failure] = this.failures.splice(index, 1);
      if (failure.delayMs) await new Promise((r) => setTimeout(r, failure.delayMs));
      if (failure.drop) {
        req.socket.destroy();
        return;
      }
      return send(res, failure.status, failure.body ?? { message: `fake failure ${failure.status}` }, failure.headers);
    }
    const mayhem = this.chaos?.(method, url.pathname);
    if (mayhem && 'slowMs' in mayhem) {
      this.slow.unshift({ method, path: new RegExp(`^${url.pathname}$`), ms: mayhem.slowMs });
    } else if (mayhem) {
      if (mayhem.delayMs) await new Promise((r) => setTimeout(r, mayhem.delayMs));
      if (mayhem.drop) return void req.socket.destroy();
      return send(res, mayhem.status, mayhem.body ?? { message: `fake failure ${mayhem.status}` }, mayhem.headers);
    }
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${this.token}` && auth !== `Bearer ${this.token}`) {
      return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    }
    const slowIndex = this.slow.findIndex((f) => f.method === method && f.path.test(url.pathname));
    if (slowIndex >= 0) {
      const [slow] = this.slow.splice(slowIndex, 1);
      const write = res.writeHead.bind(res);
      // Handle the request now; answer later.
      (res as any).writeHead = (...args: any[]) => {
        slow.onHeld?.();
        setTimeout(() => {
          if (!res.destroyed) write(...(args as [number])).end((res as any).__body);
        }, slow.ms).unref();
        return { end: (chunk?: unknown) => ((res as any).__body = chunk) };
      };
    }
    this.route(method, url, body, res);
  }

  private route(method: string, url: URL, body: any, res: ServerResponse): void {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'repos' || parts.length < 3) return send(res, 404, { message: 'Not Found' });
    const repo = this.repos.get(`${parts[1]}/${parts[2]}`.toLowerCase());
    if (!repo) return send(res, 404, { message: 'Not Found' });
    const rest = parts.slice(3);
    const key = `${method} ${rest.map((p) => (/^\d+$/.test(p) ? ':n' : p)).join('/')}`;
    const n = (i: number) => Number(rest[i]);

    switch (key) {
      case 'GET ':
        return send(res, 200, { id: repo.id, name: repo.name, full_name: `${repo.owner}/${repo.name}`, owner: { login: repo.owner } });
      case 'POST hooks': {
        if (!body?.config?.url) return send(res, 422, { message: 'Validation Failed', errors: [{ resource: 'Hook', code: 'custom', message: 'Config must contain url' }] });
        const hook: FakeHook = { id: this.nextId++, name: body.name, active: body.active ?? true, events: body.events ?? ['push'], config: body.config };
        repo.hooks.set(hook.id, hook);
        return send(res, 201, publicHook(hook));
      }
      case 'GET hooks':
        return send(res, 200, [...repo.hooks.values()].map(publicHook));
      case 'GET hooks/:n': {
        const hook = repo.hooks.get(n(1));
        return hook ? send(res, 200, publicHook(hook)) : send(res, 404, { message: 'Not Found' });
      }
      case 'PATCH hooks/:n': {
        const hook = repo.hooks.get(n(1));
        if (!hook) return send(res, 404, { message: 'Not Found' });
        // Like GitHub: a PATCH replaces `config` whole, so a secret left out is dropped.
        if (body.config) hook.config = body.config;
        if (body.events) hook.events = body.events;
        if (body.active !== undefined) hook.active = body.active;
        return send(res, 200, publicHook(hook));
      }
      case 'DELETE hooks/:n':
        return repo.hooks.delete(n(1)) ? send(res, 204) : send(res, 404, { message: 'Not Found' });
      case 'GET hooks/:n/deliveries': {
        const list = [...(repo.deliveries.get(n(1)) ?? [])].reverse();
        return paginate(url, res, list);
      }
      case 'POST hooks/:n/deliveries/:n/attempts': {
        const list = repo.deliveries.get(n(1)) ?? [];
        const found = list.find((d) => d.id === n(3));
        if (!found) return send(res, 404, { message: 'Not Found' });
        list.push({ ...found, id: this.nextId++, redelivery: true, status_code: 0, status: 'pending', delivered_at: new Date().toISOString() });
        return send(res, 202, {});
      }
      case 'GET pulls/:n': {
        const pull = repo.pulls.get(n(1));
        return pull ? send(res, 200, publicPull(repo, pull)) : send(res, 404, { message: 'Not Found' });
      }
      case 'GET pulls/:n/files': {
        const pull = repo.pulls.get(n(1));
        if (!pull) return send(res, 404, { message: 'Not Found' });
        // GitHub lists at most 3000 files.
        return paginate(url, res, pull.files.slice(0, 3000));
      }
      case 'GET pulls/:n/reviews':
        return paginate(url, res, (repo.reviews.get(n(1)) ?? []).map((r) => ({ id: r.id, body: r.body, commit_id: r.commit_id, html_url: r.html_url, state: 'COMMENTED' })));
      case 'POST pulls/:n/reviews': {
        const pull = repo.pulls.get(n(1));
        if (!pull) return send(res, 404, { message: 'Not Found' });
        const verdict = this.reviewHook?.(repo, pull, body);
        if (typeof verdict === 'number') return send(res, verdict, { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] });
        const comments: FakeReview['comments'] = body.comments ?? [];
        for (const comment of comments) {
          const file = pull.files.find((f) => f.filename === comment.path);
          if (!file || !linesInPatch(file.patch).has(comment.line)) {
            return send(res, 422, { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] });
          }
        }
        const list = repo.reviews.get(pull.number) ?? [];
        const id = this.nextId++;
        const review: FakeReview = {
          id,
          body: body.body ?? '',
          commit_id: body.commit_id,
          event: body.event,
          comments,
          html_url: `https://github.example/${repo.owner}/${repo.name}/pull/${pull.number}#pullrequestreview-${id}`,
        };
        list.push(review);
        repo.reviews.set(pull.number, list);
        return send(res, 200, { id, body: review.body, commit_id: review.commit_id, html_url: review.html_url, state: 'COMMENTED' });
      }
      default:
        return send(res, 404, { message: 'Not Found' });
    }
  }
}

/** The new-file line numbers a unified diff shows (added and context lines). */
export function linesInPatch(patch?: string): Set<number> {
  const lines = new Set<number>();
  if (!patch) return lines;
  let line = 0;
  for (const text of patch.split('\n')) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (hunk) {
      line = Number(hunk[1]);
      continue;
    }
    if (text.startsWith('-')) continue;
    if (text.startsWith('+') || text.startsWith(' ')) lines.add(line++);
  }
  return lines;
}

function publicHook(hook: FakeHook) {
  // GitHub never shows a hook's secret back; it answers "********".
  const { secret, ...config } = hook.config;
  return { id: hook.id, name: hook.name, active: hook.active, events: hook.events, config: secret ? { ...config, secret: '********' } : config };
}

function publicPull(repo: FakeRepo, pull: FakePull) {
  return {
    number: pull.number,
    title: pull.title,
    body: pull.body,
    state: pull.state,
    draft: pull.draft,
    head: pull.head,
    base: pull.base,
    changed_files: pull.files.length,
    additions: pull.files.reduce((sum, f) => sum + (f.additions ?? 0), 0),
    deletions: pull.files.reduce((sum, f) => sum + (f.deletions ?? 0), 0),
    html_url: `https://github.example/${repo.owner}/${repo.name}/pull/${pull.number}`,
  };
}

function paginate(url: URL, res: ServerResponse, items: unknown[]): void {
  const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
  const page = Number(url.searchParams.get('page') ?? 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const headers: Record<string, string> = {};
  if (page * perPage < items.length) {
    const next = new URL(url.toString());
    next.searchParams.set('page', String(page + 1));
    next.searchParams.set('per_page', String(perPage));
    headers.link = `<http://${'{host}'}${next.pathname}${next.search}>; rel="next"`;
  }
  send(res, 200, slice, headers);
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const host = res.req.headers.host ?? '127.0.0.1';
  const finalHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('{host}', host)]));
  if (body === undefined) {
    res.writeHead(status, finalHeaders).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...finalHeaders }).end(JSON.stringify(body));
}
