// What the fake GitHub keeps and how it answers each REST route it knows, the way GitHub does.
import type { ServerResponse } from 'node:http';
import { compareCommits, type FakeCommit } from './fake-github-commits.js';
import { routeConversation, type FakeConversation } from './fake-github-conversation.js';

export interface FakeHook {
  id: number;
  name?: string;
  active: boolean;
  events: string[];
  /** Kept as Nectr sent it. */
  config: { url: string; content_type?: string; secret?: string; insecure_ssl?: string };
}

export interface FakePullFile {
  filename: string;
  status?: string;
  additions?: number;
  deletions?: number;
  patch?: string;
  /** The file's content at the pull request's head, served by the contents API. */
  content?: string | Buffer;
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
  /** The author's login. */
  user?: string;
  labels?: string[];
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

/** A review comment and the thread it opened (Nectr never replies, so one comment per thread). */
export interface FakeThread {
  id: string;
  isResolved: boolean;
  /** Who resolved the thread: a login, or null for a GitHub App (GraphQL's `resolvedBy` is a User). */
  resolvedBy?: string | null;
  /** Who wrote the comment (Nectr's reviews: FAKE_LOGIN). */
  user?: string;
  comment: { id: number; node_id: string; body: string; path: string; line: number; pull_request_review_id: number };
}

export interface FakeStatus {
  state: string;
  context: string;
  description?: string;
  target_url?: string;
}

/**
 * The JSON bodies Nectr sends GitHub, as far as the fake and the tests read them. Every field is
 * optional: one request carries a hook's fields, another a review's.
 */
export interface GitHubRequestBody {
  name?: string;
  active?: boolean;
  events?: string[];
  config?: Partial<FakeHook['config']>;
  body?: string;
  commit_id?: string;
  event?: string;
  comments?: FakeReview['comments'];
  state?: string;
  context?: string;
  description?: string;
  target_url?: string;
  /** GraphQL */
  query?: string;
  variables?: Record<string, unknown>;
}

export interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  hooks: Map<number, FakeHook>;
  pulls: Map<number, FakePull>;
  reviews: Map<number, FakeReview[]>;
  deliveries: Map<number, FakeDelivery[]>;
  /** Review threads by PR number. */
  threads: Map<number, FakeThread[]>;
  /** Commit statuses by SHA, oldest first. */
  statuses: Map<string, FakeStatus[]>;
  /** Answers of the compare API by `base...head`; any other range is a 404. */
  compares: Map<string, { status: string; files: FakePullFile[] }>;
  /** Commits by SHA: compare answers from this graph for a range `compares` does not hold. */
  commits?: Map<string, FakeCommit>;
  /** The default branch's files, PR comments and reactions: see fake-github-conversation.ts. */
  files?: FakeConversation['files'];
  comments?: FakeConversation['comments'];
  reactions?: FakeConversation['reactions'];
}

/** The longest review body GitHub takes. */
export const MAX_BODY_CHARS = 65_536;

/** Who the fake says the token belongs to, and so the author of every review Nectr posts. */
export const FAKE_LOGIN = 'nectr-bot';

/** The state routes read and change. */
export interface FakeGitHubState {
  repos: Map<string, FakeRepo>;
  nextId(): number;
  reviewHook?: (repo: FakeRepo, pull: FakePull, body: GitHubRequestBody) => number | void;
  /** Who Nectr's token resolves threads as: FAKE_LOGIN, or null for a GitHub App's token. */
  resolver: string | null;
}

export function route(
  ctx: FakeGitHubState,
  method: string,
  url: URL,
  body: GitHubRequestBody,
  res: ServerResponse,
): void {
  if (method === 'GET' && url.pathname === '/user') return send(res, 200, { login: FAKE_LOGIN, type: 'User' });
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'repos' || parts.length < 3) return send(res, 404, { message: 'Not Found' });
  const repo = ctx.repos.get(`${parts[1]}/${parts[2]}`.toLowerCase());
  if (!repo) return send(res, 404, { message: 'Not Found' });
  const rest = parts.slice(3);
  // A file at a pull request's head (`?ref=<sha>`); without `ref`, the default branch's files
  // (routeConversation, where `.nectr.yml` lives).
  if (method === 'GET' && rest[0] === 'contents' && url.searchParams.has('ref'))
    return contents(repo, rest.slice(1).join('/'), url, res);
  if (method === 'GET' && rest[0] === 'compare' && rest.length === 2) {
    const found = repo.compares.get(rest[1]);
    const computed = found ? undefined : compareCommits(repo.commits ?? new Map(), rest[1]);
    if (computed) return send(res, 200, { ...computed, commits: [], files: computed.files.slice(0, 300) });
    if (!found) return send(res, 404, { message: 'Not Found' });
    return send(res, 200, { status: found.status, total_commits: 1, commits: [], files: found.files.slice(0, 300) });
  }
  if (method === 'POST' && rest[0] === 'statuses' && rest.length === 2) {
    const state = body.state ?? '';
    if (!['pending', 'success', 'failure', 'error'].includes(state))
      return send(res, 422, { message: 'Validation Failed', errors: [{ field: 'state', code: 'invalid' }] });
    const status: FakeStatus = {
      state,
      context: body.context ?? 'default',
      description: body.description,
      target_url: body.target_url,
    };
    repo.statuses.set(rest[1], [...(repo.statuses.get(rest[1]) ?? []), status]);
    return send(res, 201, { id: ctx.nextId(), ...status, creator: { login: FAKE_LOGIN, type: 'User' } });
  }
  if (method === 'GET' && rest[0] === 'commits' && rest[2] === 'statuses' && rest.length === 3) {
    const newestFirst = [...(repo.statuses.get(rest[1]) ?? [])].reverse();
    return send(
      res,
      200,
      newestFirst.slice(0, 100).map((status) => ({ ...status, creator: { login: FAKE_LOGIN, type: 'User' } })),
    );
  }
  const key = `${method} ${rest.map((p) => (/^\d+$/.test(p) ? ':n' : p)).join('/')}`;
  const n = (i: number) => Number(rest[i]);
  if (routeConversation(ctx, repo, method, rest, url, body, res)) return;

  switch (key) {
    case 'GET ':
      return send(res, 200, {
        id: repo.id,
        name: repo.name,
        full_name: `${repo.owner}/${repo.name}`,
        owner: { login: repo.owner },
      });
    case 'POST hooks': {
      const config = body.config;
      if (!config?.url)
        return send(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'Hook', code: 'custom', message: 'Config must contain url' }],
        });
      // Like GitHub: one hook per payload URL on a repository; a second is a 422.
      if ([...repo.hooks.values()].some((existing) => existing.config.url === config.url))
        return send(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'Hook', code: 'custom', message: 'Hook already exists on this repository' }],
          documentation_url: 'https://docs.github.com/rest/repos/webhooks#create-a-repository-webhook',
        });
      const hook: FakeHook = {
        id: ctx.nextId(),
        name: body.name,
        active: body.active ?? true,
        events: body.events ?? ['push'],
        config: { ...config, url: config.url },
      };
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
      if (body.config) hook.config = { ...body.config, url: body.config.url ?? '' };
      if (body.events) hook.events = body.events;
      if (body.active !== undefined) hook.active = body.active;
      return send(res, 200, publicHook(hook));
    }
    case 'DELETE hooks/:n':
      return repo.hooks.delete(n(1)) ? send(res, 204) : send(res, 404, { message: 'Not Found' });
    case 'GET hooks/:n/deliveries': {
      if (!repo.hooks.has(n(1))) return send(res, 404, { message: 'Not Found' });
      const list = [...(repo.deliveries.get(n(1)) ?? [])].reverse();
      return paginateByCursor(url, res, list);
    }
    case 'POST hooks/:n/deliveries/:n/attempts': {
      const list = repo.deliveries.get(n(1)) ?? [];
      const found = list.find((d) => d.id === n(3));
      if (!found) return send(res, 404, { message: 'Not Found' });
      list.push({
        ...found,
        id: ctx.nextId(),
        redelivery: true,
        status_code: 0,
        status: 'pending',
        delivered_at: new Date().toISOString(),
      });
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
      return paginate(
        url,
        res,
        pull.files.slice(0, 3000).map(({ content: _content, ...file }) => file),
      );
    }
    case 'GET pulls/:n/comments':
      return paginate(
        url,
        res,
        (repo.threads.get(n(1)) ?? []).map((t) => ({
          ...t.comment,
          user: { login: t.user ?? FAKE_LOGIN, type: 'User' },
        })),
      );
    case 'GET pulls/:n/reviews':
      return paginate(
        url,
        res,
        (repo.reviews.get(n(1)) ?? []).map((r) => ({
          id: r.id,
          body: r.body,
          commit_id: r.commit_id,
          html_url: r.html_url,
          state: 'COMMENTED',
          user: { login: FAKE_LOGIN, type: 'User' },
        })),
      );
    case 'POST pulls/:n/reviews': {
      const pull = repo.pulls.get(n(1));
      if (!pull) return send(res, 404, { message: 'Not Found' });
      const verdict = ctx.reviewHook?.(repo, pull, body);
      if (typeof verdict === 'number')
        return send(res, verdict, { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] });
      // GitHub's limit on a review's body (and any comment's): longer is a 422.
      if ((body.body ?? '').length > MAX_BODY_CHARS)
        return send(res, 422, {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'PullRequestReview',
              code: 'custom',
              field: 'body',
              message: 'body is too long (maximum is 65536 characters)',
            },
          ],
        });
      const comments: FakeReview['comments'] = body.comments ?? [];
      for (const comment of comments) {
        const file = pull.files.find((f) => f.filename === comment.path);
        if (!file || !linesInPatch(file.patch).has(comment.line)) {
          return send(res, 422, { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] });
        }
      }
      const list = repo.reviews.get(pull.number) ?? [];
      const id = ctx.nextId();
      const review: FakeReview = {
        id,
        body: body.body ?? '',
        commit_id: body.commit_id ?? '',
        event: body.event ?? '',
        comments,
        html_url: `https://github.example/${repo.owner}/${repo.name}/pull/${pull.number}#pullrequestreview-${id}`,
      };
      list.push(review);
      repo.reviews.set(pull.number, list);
      const threads = repo.threads.get(pull.number) ?? [];
      for (const c of comments) {
        const commentId = ctx.nextId();
        threads.push({
          id: `PRRT_${commentId}`,
          isResolved: false,
          comment: {
            id: commentId,
            node_id: `PRRC_${commentId}`,
            body: c.body,
            path: c.path,
            line: c.line,
            pull_request_review_id: id,
          },
        });
      }
      repo.threads.set(pull.number, threads);
      return send(res, 200, {
        id,
        body: review.body,
        commit_id: review.commit_id,
        html_url: review.html_url,
        state: 'COMMENTED',
        user: { login: FAKE_LOGIN, type: 'User' },
      });
    }
    default:
      return send(res, 404, { message: 'Not Found' });
  }
}

/** GET /repos/{o}/{r}/contents/{path}?ref=: a file of the pull request whose head is `ref`. */
function contents(repo: FakeRepo, path: string, url: URL, res: ServerResponse): void {
  const ref = url.searchParams.get('ref');
  // A loop, not a copy of every pull: the bench's drain asks this of a fake holding 100 000s of PRs.
  let file: FakePullFile | undefined;
  for (const pull of repo.pulls.values()) {
    if (pull.head.sha !== ref) continue;
    file = pull.files.find((f) => f.filename === path && f.content !== undefined);
    if (file) break;
  }
  if (!file?.content) return send(res, 404, { message: 'Not Found' });
  const body = Buffer.from(file.content);
  if (!String(res.req.headers.accept ?? '').includes('raw')) {
    return send(res, 200, {
      type: 'file',
      path,
      size: body.length,
      encoding: 'base64',
      content: body.toString('base64'),
    });
  }
  res.writeHead(200, { 'content-type': 'application/vnd.github.raw; charset=utf-8', 'content-length': body.length });
  res.end(body);
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
  return {
    id: hook.id,
    name: hook.name,
    active: hook.active,
    events: hook.events,
    config: secret ? { ...config, secret: '********' } : config,
  };
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
    user: { login: pull.user ?? 'octocat', type: 'User' },
    labels: (pull.labels ?? []).map((name) => ({ name })),
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

/** Like GitHub's list of a hook's deliveries: a page starts at the delivery its `cursor` names. */
function paginateByCursor(url: URL, res: ServerResponse, items: FakeDelivery[]): void {
  const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
  const cursor = url.searchParams.get('cursor');
  const start = cursor === null ? 0 : items.findIndex((d) => String(d.id) === cursor);
  const slice = start < 0 ? [] : items.slice(start, start + perPage);
  const headers: Record<string, string> = {};
  const after = start < 0 ? undefined : items[start + perPage];
  if (after) {
    const next = new URL(url.toString());
    next.searchParams.set('cursor', String(after.id));
    next.searchParams.set('per_page', String(perPage));
    headers.link = `<http://${'{host}'}${next.pathname}${next.search}>; rel="next"`;
  }
  send(res, 200, slice, headers);
}

export function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const host = res.req.headers.host ?? '127.0.0.1';
  const finalHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('{host}', host)]));
  if (body === undefined) {
    res.writeHead(status, finalHeaders).end();
    return;
  }
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...finalHeaders })
    .end(JSON.stringify(body));
}

/** GitHub's GraphQL API, as much of it as Nectr uses: review threads of a PR, resolving and reopening them. */
export function graphql(ctx: FakeGitHubState, body: GitHubRequestBody | undefined, res: ServerResponse): void {
  const query = typeof body?.query === 'string' ? body.query : '';
  const variables = body?.variables ?? {};
  const reopen = query.includes('unresolveReviewThread');
  if (reopen || query.includes('resolveReviewThread')) {
    const data: Record<string, unknown> = {};
    const all = [...ctx.repos.values()].flatMap((r) => [...r.threads.values()].flat());
    for (const [alias, id] of Object.entries(variables)) {
      const thread = all.find((t) => t.id === id);
      if (!thread)
        return send(res, 200, {
          data: null,
          errors: [{ type: 'NOT_FOUND', message: `Could not resolve to a node with the global id of '${String(id)}'` }],
        });
      thread.isResolved = !reopen;
      thread.resolvedBy = reopen ? undefined : ctx.resolver;
      data[alias] = { thread: { id } };
    }
    return send(res, 200, { data });
  }
  if (query.includes('reviewThreads')) {
    const repo = ctx.repos.get(`${String(variables.owner)}/${String(variables.name)}`.toLowerCase());
    const threads = repo?.threads.get(Number(variables.number)) ?? [];
    const start = variables.after ? Number(variables.after) : 0;
    const page = threads.slice(start, start + 100);
    const pullRequest = repo?.pulls.has(Number(variables.number))
      ? {
          reviewThreads: {
            pageInfo: { hasNextPage: start + 100 < threads.length, endCursor: String(start + 100) },
            nodes: page.map((t) => ({
              id: t.id,
              isResolved: t.isResolved,
              resolvedBy: t.isResolved && t.resolvedBy ? { login: t.resolvedBy } : null,
              comments: { nodes: [{ body: t.comment.body }] },
            })),
          },
        }
      : null;
    return send(res, 200, { data: { repository: repo ? { pullRequest } : null } });
  }
  send(res, 200, { data: null, errors: [{ message: 'The fake GitHub does not know this query' }] });
}
