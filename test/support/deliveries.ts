// GitHub's own example payloads (@octokit/webhooks-examples) and a helper that delivers them the
// way GitHub does: exact bytes, signed, with GitHub's headers.
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { sign } from './signing.js';
import { waitFor, type TestApp } from './test-app.js';

const require = createRequire(import.meta.url);
const examples: Array<{
  name: string;
  examples: Array<Record<string, unknown>>;
}> = require('@octokit/webhooks-examples');

/** A deep copy of GitHub's example payload for `event` (and `action`). */
export function example(event: string, action?: string): Record<string, unknown> {
  const group = examples.find((e) => e.name === event);
  const found = group?.examples.find((e) => action === undefined || e.action === action);
  if (!found) throw new Error(`no example for ${event} ${action ?? ''}`);
  return structuredClone(found);
}

/** The parts of a pull_request payload the tests change (the rest is GitHub's example as is). */
export interface PullRequestPayload extends Record<string, unknown> {
  action: string;
  number: number;
  pull_request: Record<string, unknown> & {
    number: number;
    draft: boolean;
    body: string | null;
    updated_at: string;
    head: Record<string, unknown> & { sha: string };
  };
  repository: Record<string, unknown> & { id: number; name: string; full_name: string; owner: { login: string } };
}

function isPullRequestPayload(payload: Record<string, unknown>): payload is PullRequestPayload {
  const pull = payload.pull_request as Record<string, unknown> | undefined;
  const repo = payload.repository as Record<string, unknown> | undefined;
  return typeof payload.number === 'number' && typeof pull?.head === 'object' && typeof repo?.owner === 'object';
}

/** A deep copy of GitHub's pull_request example for `action`. */
export function pullRequestExample(action = 'opened'): PullRequestPayload {
  const payload = example('pull_request', action);
  if (!isPullRequestPayload(payload)) throw new Error(`the pull_request ${action} example changed shape`);
  return payload;
}

export const EXAMPLE_REPO = { fullName: 'Codertocat/Hello-World', id: 186853002 };

export interface Delivery {
  event: string;
  payload: Record<string, unknown> | string | Buffer;
  secret: string;
  hookId?: number | string;
  deliveryId?: string;
  targetType?: string;
  form?: boolean;
  pretty?: boolean;
  signature?: string | null;
  headers?: Record<string, string | undefined>;
  /** Another spelling of the webhook path (case, trailing slash, query string). */
  path?: string;
}

export function deliveryBody(d: Pick<Delivery, 'payload' | 'form' | 'pretty'>): Buffer {
  if (Buffer.isBuffer(d.payload)) return d.payload;
  const json = typeof d.payload === 'string' ? d.payload : JSON.stringify(d.payload, null, d.pretty ? 2 : undefined);
  return Buffer.from(d.form ? `payload=${encodeURIComponent(json)}` : json, 'utf8');
}

export function deliver(t: TestApp, d: Delivery) {
  const body = deliveryBody(d);
  const headers: Record<string, string | undefined> = {
    'content-type': d.form ? 'application/x-www-form-urlencoded' : 'application/json',
    'user-agent': 'GitHub-Hookshot/abc123',
    'x-github-event': d.event,
    'x-github-delivery': d.deliveryId ?? randomUUID(),
    'x-github-hook-id': d.hookId === undefined ? undefined : String(d.hookId),
    'x-github-hook-installation-target-type': d.targetType ?? 'repository',
    'x-hub-signature-256': d.signature === null ? undefined : (d.signature ?? sign(d.secret, body)),
    ...d.headers,
  };
  let req = t.http.post(d.path ?? '/api/v1/webhooks/github');
  for (const [key, value] of Object.entries(headers)) if (value !== undefined) req = req.set(key, value);
  // Send the exact bytes: superagent would otherwise JSON-encode a Buffer under a JSON content type.
  return req.serialize((data: unknown) => data as string).send(body);
}

/** Installs `fullName` through the API and returns the hook id and the secret GitHub was given. */
export async function installRepo(
  t: TestApp,
  fullName: string,
  id?: number,
): Promise<{ hookId: number; secret: string }> {
  if (!t.github.repos.has(fullName.toLowerCase())) t.github.addRepo(fullName, id);
  const res = await t.http.post(`/api/v1/repos/${fullName}/install`).set(t.auth).send({});
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`install failed: ${res.status} ${JSON.stringify(res.body)}`);
  const hook = t.github.repo(fullName).hooks.get(res.body.hook_id)!;
  return { hookId: res.body.hook_id, secret: hook.config.secret! };
}

/** A pull_request payload for the example repository with the given number, head and action. */
export function pullRequestPayload(
  options: {
    action?: string;
    number?: number;
    sha?: string;
    draft?: boolean;
    updatedAt?: string;
    repo?: { fullName: string; id: number };
  } = {},
) {
  const payload = pullRequestExample('opened');
  payload.action = options.action ?? 'opened';
  payload.number = options.number ?? payload.number;
  payload.pull_request.number = payload.number;
  payload.pull_request.draft = options.draft ?? false;
  if (options.sha) payload.pull_request.head.sha = options.sha;
  if (options.updatedAt) payload.pull_request.updated_at = options.updatedAt;
  if (options.repo) {
    payload.repository.full_name = options.repo.fullName;
    payload.repository.id = options.repo.id;
    [payload.repository.owner.login, payload.repository.name] = options.repo.fullName.split('/');
  }
  return payload;
}

/** The parts of an issue_comment payload the tests change. */
export interface CommentPayload extends Record<string, unknown> {
  issue: Record<string, unknown> & { number: number };
  comment: Record<string, unknown> & {
    id: number;
    body: string;
    author_association: string;
    user: Record<string, unknown> & { login: string; type: string };
  };
}

/** An issue_comment `created` payload on pull request `number` of the example repository. */
export function commentPayload(
  number: number,
  body: string,
  options: { association?: string; login?: string; type?: string; commentId?: number } = {},
): CommentPayload {
  const payload = example('issue_comment', 'created') as CommentPayload;
  payload.issue.number = number;
  payload.issue.pull_request = { url: `https://api.github.com/repos/${EXAMPLE_REPO.fullName}/pulls/${number}` };
  payload.comment.id = options.commentId ?? 900_000 + Math.floor(Math.random() * 1e6);
  payload.comment.body = body;
  payload.comment.author_association = options.association ?? 'MEMBER';
  payload.comment.user.login = options.login ?? 'maintainer';
  payload.comment.user.type = options.type ?? 'User';
  return payload;
}

/** An event as `GET /api/v1/events/{id}` shows it, as far as the tests read it. */
export interface SettledEvent {
  id: string;
  status: string;
  review_url: string | null;
  note: string | null;
  error: string | null;
  attempts: number;
}

/** The event once it has ended (`completed`, `failed` or `superseded`), polled through the API. */
export function settledEvent(t: TestApp, eventId: string, timeoutMs = 30_000): Promise<SettledEvent> {
  return waitFor(
    async () => {
      const { body } = (await t.http.get(`/api/v1/events/${eventId}`).set(t.auth)) as { body: SettledEvent };
      return ['completed', 'failed', 'superseded'].includes(body.status) ? body : undefined;
    },
    timeoutMs,
    100,
  );
}
