// A fake GitHub REST API: a real HTTP server on 127.0.0.1 that octokit talks to through
// GITHUB_API_URL. It keeps repositories, hooks, pull requests and reviews in memory, records every
// request, and can be told to fail the next calls to a route the way GitHub fails.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  FAKE_LOGIN,
  graphql,
  route,
  send,
  type FakePull,
  type FakePullFile,
  type FakeRepo,
  type FakeReview,
  type FakeStatus,
  type FakeThread,
  type GitHubRequestBody,
} from './fake-github-api.js';
import { GitHubContract } from './github-contract.js';

export { MAX_BODY_CHARS } from './fake-github-api.js';
export type {
  FakeDelivery,
  FakeHook,
  FakePull,
  FakePullFile,
  FakeRepo,
  FakeReview,
  FakeStatus,
  FakeThread,
  GitHubRequestBody,
} from './fake-github-api.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The JSON body; undefined when there was none or it was not JSON (then see `raw`). */
  body: GitHubRequestBody | undefined;
  raw: string;
  /** Date.now() when the request arrived. */
  at: number;
}

/** The hook secret a recorded create or edit of a hook sent; throws when it sent none. */
export function sentSecret(request: RecordedRequest): string {
  const secret = request.body?.config?.secret;
  if (typeof secret !== 'string') throw new Error(`${request.method} ${request.path} sent no hook secret`);
  return secret;
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
  /** Sent as x-ratelimit-remaining on every authenticated answer, as GitHub does; counts down. */
  rateLimitRemaining = 5000;
  private failures: Failure[] = [];
  /** Answers to hold: for `hold` ms, or until `hold` (a promise) settles. */
  private slow: Array<{
    method: string;
    path: RegExp;
    hold: number | Promise<unknown>;
    onHeld?: () => void;
    /** Hold the request itself: GitHub acts on it only once `hold` settles. */
    before?: boolean;
    /** Act on the request, then close the connection instead of answering. */
    drop?: boolean;
  }> = [];
  private server?: Server;
  private nextId = 1000;
  private reviewHook?: (repo: FakeRepo, pull: FakePull, body: GitHubRequestBody) => number | void;
  /** Who Nectr's token resolves threads as (GraphQL `resolvedBy`): null for a GitHub App's token. */
  resolver: string | null = FAKE_LOGIN;
  /** Consulted for every request: a failure to answer with, 'slow' to handle it but hold the answer, or nothing. */
  chaos?: (method: string, path: string) => Omit<Failure, 'method' | 'path'> | { slowMs: number } | undefined;
  url = '';
  /** GitHub's REST contract, held against every request and answer (see github-contract.ts). */
  private readonly contract?: GitHubContract;
  /** Where requests or answers broke GitHub's contract; stop() throws when there are any. */
  readonly divergences = new Set<string>();

  /** `contract: false` when a test sends GitHub what it would refuse on purpose. */
  constructor(options: { contract?: boolean } = {}) {
    if (options.contract ?? process.env.FAKE_GITHUB_CONTRACT !== '0') this.contract = GitHubContract.load();
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    // Node's default keep-alive (5 s) stays: undici keeps a connection only for the server's
    // `Keep-Alive: timeout` less one second, so with 1 s every call Nectr made opened a new
    // connection, which api.github.com does not make clients do.
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    if (this.divergences.size)
      throw new Error(`GitHub's REST contract was broken:\n${[...this.divergences].join('\n')}`);
  }

  addRepo(fullName: string, id = this.nextId++): FakeRepo {
    const [owner, name] = fullName.split('/');
    const repo: FakeRepo = {
      id,
      owner,
      name,
      hooks: new Map(),
      pulls: new Map(),
      reviews: new Map(),
      deliveries: new Map(),
      threads: new Map(),
      statuses: new Map(),
      compares: new Map(),
      files: new Map(),
      comments: new Map(),
      reactions: new Map(),
    };
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

  /**
   * A push to a PR: its head becomes `sha` and its files `files`. Unless `compare` is false, the
   * compare API answers `<old head>...<sha>` with `status` (default `ahead`) and `range` (the files
   * the push changed, with their patches).
   */
  push(
    fullName: string,
    number: number,
    push: { sha: string; files: FakePullFile[]; range?: FakePullFile[]; status?: string; compare?: boolean },
  ): void {
    const pull = this.repo(fullName).pulls.get(number);
    if (!pull) throw new Error(`fake GitHub has no PR ${fullName}#${number}`);
    if (push.compare !== false)
      this.repo(fullName).compares.set(`${pull.head.sha}...${push.sha}`, {
        status: push.status ?? 'ahead',
        files: push.range ?? [],
      });
    pull.head = { ...pull.head, sha: push.sha };
    pull.files = push.files;
  }

  /** The `nectr` statuses set on a commit, oldest first. */
  statusesOf(fullName: string, sha: string, context = 'nectr'): FakeStatus[] {
    return (this.repo(fullName).statuses.get(sha) ?? []).filter((s) => s.context === context);
  }

  /** A review comment someone else wrote on the PR (its own thread). */
  addComment(fullName: string, number: number, comment: { path: string; line: number; body: string; user: string }) {
    const threads = this.repo(fullName).threads.get(number) ?? [];
    const id = this.nextId++;
    const { user, ...rest } = comment;
    threads.push({
      id: `PRRT_${id}`,
      isResolved: false,
      user,
      comment: { id, node_id: `PRRC_${id}`, pull_request_review_id: 0, ...rest },
    });
    this.repo(fullName).threads.set(number, threads);
  }

  /** `by` (a person) resolves a thread in GitHub's UI. */
  resolveThread(thread: FakeThread, by: string): void {
    thread.isResolved = true;
    thread.resolvedBy = by;
  }

  threadsOf(fullName: string, number: number): FakeThread[] {
    return this.repo(fullName).threads.get(number) ?? [];
  }

  /** The next `times` calls matching method and path answer `status` (GitHub-style JSON body). */
  failNext(
    method: string,
    path: RegExp,
    status: number,
    options: Partial<Omit<Failure, 'method' | 'path' | 'status'>> & { times?: number } = {},
  ): void {
    for (let i = 0; i < (options.times ?? 1); i++) this.failures.push({ method, path, status, ...options });
  }

  /** The next call matching is handled normally, but its answer is held back `ms` (it may never arrive). */
  slowNext(method: string, path: RegExp, ms: number, onHeld?: () => void): void {
    this.slow.push({ method, path, hold: ms, onHeld });
  }

  /** Like slowNext, but the answer waits for `until` to settle rather than for a time. */
  holdNext(method: string, path: RegExp, until: Promise<unknown>, onHeld?: () => void): void {
    this.slow.push({ method, path, hold: until, onHeld });
  }

  /** The next call matching is handled (and answered) only once `until` settles. */
  holdRequest(method: string, path: RegExp, until: Promise<unknown>, onHeld?: () => void): void {
    this.slow.push({ method, path, hold: until, onHeld, before: true });
  }

  /**
   * The next `times` calls matching are acted on (a PATCH applied), then their connection is closed
   * without an answer: GitHub did it, but the caller cannot know.
   */
  dropAnswerNext(method: string, path: RegExp, times = 1): void {
    for (let i = 0; i < times; i++) this.slow.push({ method, path, hold: 0, drop: true });
  }

  clearFailures(): void {
    this.failures = [];
  }

  /** Called when a review is created; return a status (e.g. 422) to reject it like GitHub would. */
  onReview(hook: (repo: FakeRepo, pull: FakePull, body: GitHubRequestBody) => number | void): void {
    this.reviewHook = hook;
  }

  private rateLimitBody() {
    const core = {
      limit: 5000,
      used: 5000 - this.rateLimitRemaining,
      remaining: this.rateLimitRemaining,
      reset: Math.floor(Date.now() / 1000) + 3600,
    };
    return { resources: { core }, rate: core };
  }

  calls(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    let body: GitHubRequestBody | undefined;
    try {
      body = raw ? (JSON.parse(raw) as GitHubRequestBody) : undefined;
    } catch {
      body = undefined;
    }
    const method = req.method ?? 'GET';
    this.requests.push({
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      raw,
      at: Date.now(),
    });
    // Answers a test injects (failures, chaos, a 401) are its own choice; the rest must be GitHub's.
    let injected = false;
    if (this.contract) {
      try {
        for (const problem of this.contract.checkRequest(method, url.pathname, url.searchParams, body, raw))
          this.divergences.add(problem);
      } catch (error) {
        this.divergences.add(`${method} ${url.pathname}: the request could not be checked: ${String(error)}`);
      }
      this.checkAnswer(res, method, url.pathname, body, () => injected);
    }

    const index = this.failures.findIndex((f) => f.method === method && f.path.test(url.pathname));
    if (index >= 0) {
      const [failure] = this.failures.splice(index, 1);
      injected = true;
      if (failure.delayMs) await new Promise((r) => setTimeout(r, failure.delayMs));
      if (failure.drop) {
        req.socket.destroy();
        return;
      }
      return send(res, failure.status, failure.body ?? { message: `fake failure ${failure.status}` }, failure.headers);
    }
    const mayhem = this.chaos?.(method, url.pathname);
    if (mayhem && 'slowMs' in mayhem) {
      this.slow.unshift({ method, path: new RegExp(`^${url.pathname}$`), hold: mayhem.slowMs });
    } else if (mayhem) {
      injected = true;
      if (mayhem.delayMs) await new Promise((r) => setTimeout(r, mayhem.delayMs));
      if (mayhem.drop) return void req.socket.destroy();
      return send(res, mayhem.status, mayhem.body ?? { message: `fake failure ${mayhem.status}` }, mayhem.headers);
    }
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${this.token}` && auth !== `Bearer ${this.token}`) {
      injected = true;
      return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    }
    // Like GitHub, asking for the rate limit does not count against it.
    if (method === 'GET' && url.pathname === '/rate_limit') return send(res, 200, this.rateLimitBody());
    this.rateLimitRemaining = Math.max(1, this.rateLimitRemaining - 1); // never 0: a 403 would read as a rate limit
    res.setHeader('x-ratelimit-limit', '5000');
    res.setHeader('x-ratelimit-resource', 'core');
    res.setHeader('x-ratelimit-remaining', String(this.rateLimitRemaining));
    res.setHeader('x-ratelimit-reset', String(Math.floor(Date.now() / 1000) + 3600));
    const slowIndex = this.slow.findIndex((f) => f.method === method && f.path.test(url.pathname));
    if (slowIndex >= 0) {
      const [slow] = this.slow.splice(slowIndex, 1);
      if (slow.before && typeof slow.hold !== 'number') {
        slow.onHeld?.();
        await slow.hold.catch(() => undefined);
        return this.answer(method, url, body, res);
      }
      const write = res.writeHead.bind(res);
      // Handle the request now; answer later.
      let held: unknown;
      const holding = res as unknown as { writeHead(...args: [number]): { end(chunk?: unknown): void } };
      holding.writeHead = (...args: [number]) => {
        slow.onHeld?.();
        if (slow.drop) {
          req.socket.destroy();
          return { end: () => undefined };
        }
        const answer = () => {
          if (!res.destroyed) write(...args).end(held);
        };
        if (typeof slow.hold === 'number') setTimeout(answer, slow.hold).unref();
        else slow.hold.then(answer, answer); // answered however it settles
        return { end: (chunk?: unknown) => void (held = chunk) };
      };
    }
    this.answer(method, url, body, res);
  }

  /** Holds the JSON answer, once it is written, against the contract. */
  private checkAnswer(
    res: ServerResponse,
    method: string,
    path: string,
    request: unknown,
    injected: () => boolean,
  ): void {
    const patched = res as unknown as {
      writeHead(status: number, headers?: Record<string, string | number>): ServerResponse;
      end(chunk?: string | Buffer): ServerResponse;
    };
    const writeHead = patched.writeHead.bind(res);
    const end = patched.end.bind(res);
    let type = '';
    patched.writeHead = (status, headers) => {
      type = String(headers?.['content-type'] ?? res.getHeader('content-type') ?? '');
      return writeHead(status, headers);
    };
    patched.end = (chunk?: string | Buffer) => {
      type ||= String(res.getHeader('content-type') ?? '');
      if (!injected() && (chunk === undefined || type.startsWith('application/json'))) {
        try {
          const sent = chunk === undefined ? undefined : (JSON.parse(String(chunk)) as unknown);
          const body = this.contract!.complete(method, path, res.statusCode, sent);
          for (const problem of this.contract!.checkResponse(method, path, res.statusCode, body, request))
            this.divergences.add(problem);
          return end(body === undefined ? undefined : JSON.stringify(body));
        } catch (error) {
          this.divergences.add(`${method} ${path}: the answer could not be checked: ${String(error)}`);
        }
      }
      return end(chunk);
    };
  }

  private answer(method: string, url: URL, body: GitHubRequestBody | undefined, res: ServerResponse): void {
    const state = {
      repos: this.repos,
      nextId: () => this.nextId++,
      reviewHook: this.reviewHook,
      resolver: this.resolver,
    };
    if (method === 'POST' && url.pathname === '/graphql') return graphql(state, body, res);
    route(state, method, url, body ?? {}, res);
  }
}
