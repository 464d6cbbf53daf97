// The management API, called with the session cookie (sent by the browser, unreadable here) and,
// on writes, the session's CSRF token. The API token itself is only ever sent once, to sign in.

let csrfToken: string | null = null;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function messageOf(status: number, body: unknown): string {
  const message = (body as { message?: unknown } | null)?.message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') return message;
  return `The server answered ${status}`;
}

export async function api<T>(path: string, options: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = options.method ?? 'GET';
  let res = await send(path, method, options.body);
  // A 403 on a write with the cookie is a CSRF token this tab no longer holds: another tab signed in
  // again, so the browser's one cookie is a new session. The guard refused before doing anything, so
  // asking for the session's token and sending once more is safe.
  if (res.status === 403 && method !== 'GET' && (await renewCsrfToken())) res = await send(path, method, options.body);
  if (res.status === 204) return undefined as T;
  if (res.status < 200 || res.status > 299) {
    if (res.status === 401 && path !== SESSION) onSignedOut?.();
    throw new ApiError(res.status, messageOf(res.status, res.body));
  }
  return res.body as T;
}

/**
 * How long a request may take, answer included. Without a limit a request the network or a proxy
 * holds never ends: the page says "Loading…" for ever, and its polling (one request at a time)
 * stops. Writes wait longer: connecting a repository waits on GitHub.
 */
const READ_TIMEOUT_MS = 20_000;
const WRITE_TIMEOUT_MS = 90_000;

/** One exchange with the server: its status and its JSON body (null when there is none). */
async function send(path: string, method: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const timeoutMs = method === 'GET' ? READ_TIMEOUT_MS : WRITE_TIMEOUT_MS;
  try {
    const res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, body: parseJson(text) };
  } catch (failure) {
    // fetch says only "Failed to fetch" when nothing answered (in Chromium; other browsers word it
    // otherwise), and a TimeoutError when the answer took too long.
    throw new ApiError(
      0,
      failure instanceof DOMException && failure.name === 'TimeoutError'
        ? `The server did not answer within ${timeoutMs / 1000} seconds`
        : 'The server could not be reached: check the network, and that Nectr is running',
    );
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Reads the session's CSRF token again; true when it changed (so a refused write is worth sending again). */
async function renewCsrfToken(): Promise<boolean> {
  const before = csrfToken;
  const res = await send(SESSION, 'GET', undefined);
  const session = res.status === 200 ? (res.body as SessionState | null) : null;
  if (!session?.signed_in || !session.csrf_token) return false;
  csrfToken = session.csrf_token;
  return csrfToken !== before;
}

const SESSION = '/api/v1/session';
let onSignedOut: (() => void) | undefined;

export interface SessionState {
  signed_in: boolean;
  expires_at?: string;
  csrf_token?: string;
}

/** Called when any call finds the session gone (expired, or signed out in another tab). */
export function whenSignedOut(callback: () => void): void {
  onSignedOut = callback;
}

export async function currentSession(): Promise<boolean> {
  const session = await api<SessionState>(SESSION);
  csrfToken = session.csrf_token ?? null;
  return session.signed_in;
}

export async function signIn(token: string): Promise<void> {
  const session = await api<SessionState>(SESSION, { method: 'POST', body: { token } });
  csrfToken = session.csrf_token ?? null;
}

export async function signOut(): Promise<void> {
  await api(SESSION, { method: 'DELETE' });
  csrfToken = null;
}

export interface Installation {
  repo: string;
  hook_id: number | null;
  events: string[];
  active: boolean;
  hook_verified_at: string | null;
  installed_at: string;
}

export interface EventSummary {
  id: string;
  repo: string;
  delivery_id: string;
  event_type: string;
  github_event: string;
  pr_number: number | null;
  head_sha: string | null;
  status: string;
  attempts: number;
  error: string | null;
  review_url: string | null;
  note?: string | null;
  created_at: string;
  updated_at: string;
  processed_at: string | null;
}

export interface EventDetail extends EventSummary {
  payload: unknown;
}

export interface RepoStats {
  repo: string;
  events_by_status: Record<string, number>;
  last_event: { id: string; event_type: string; status: string; created_at: string };
}

export interface TimeSeries {
  bucket_seconds: number;
  times: number[];
  series: Record<string, number[]>;
}

export interface Overview {
  window: string;
  deliveries: TimeSeries;
  reviews: TimeSeries;
  queue: { waiting: number; active: number; delayed: number; failed: number } | null;
  outbox_backlog: number;
  failed_events: { count: number; latest: EventSummary[] };
  github_rate_limit: { limit: number; remaining: number; reset_at: string } | null;
}

export const STATUSES = ['received', 'pending', 'processing', 'completed', 'failed', 'superseded'];

export function repoPath(repo: string): string {
  return repo
    .split('/')
    .map((part) => encodeURIComponent(part))
    .join('/');
}
