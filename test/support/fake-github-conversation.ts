// The fake GitHub's routes for a repository's files (contents API, with ETags and 304s) and the
// conversation on a pull request (issue comments, reactions): what `.nectr.yml` and `/nectr`
// commands use.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FakeRepo, FakeGitHubState } from './fake-github-api.js';
import { send } from './fake-github-api.js';

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
}

export interface FakeReaction {
  id: number;
  content: string;
}

/** Files on the default branch, comments per issue/PR number, reactions per comment id. */
export interface FakeConversation {
  files: Map<string, string>;
  comments: Map<number, FakeComment[]>;
  reactions: Map<number, FakeReaction[]>;
}

export const etagOf = (text: string) => `"${createHash('sha1').update(text).digest('hex')}"`;

/** Answers the routes this file knows; false for any other, which the caller routes on. */
export function routeConversation(
  ctx: FakeGitHubState,
  repo: FakeRepo & Partial<FakeConversation>,
  method: string,
  rest: string[],
  url: URL,
  body: { content?: string; body?: string } | undefined,
  res: ServerResponse,
): boolean {
  repo.files ??= new Map();
  repo.comments ??= new Map();
  repo.reactions ??= new Map();
  const n = (i: number) => Number(rest[i]);
  if (method === 'GET' && rest[0] === 'contents') {
    const path = rest.slice(1).join('/');
    const text = repo.files.get(path);
    // Like GitHub: without `ref`, the default branch. Only the default branch is kept here.
    const ref = url.searchParams.get('ref');
    if (text === undefined || (ref !== null && ref !== 'main')) send(res, 404, { message: 'Not Found' });
    else if (res.req.headers['if-none-match'] === etagOf(text)) res.writeHead(304, { etag: etagOf(text) }).end();
    else if (String(res.req.headers.accept).includes('raw'))
      res.writeHead(200, { 'content-type': 'application/vnd.github.raw; charset=utf-8', etag: etagOf(text) }).end(text);
    else
      send(
        res,
        200,
        { type: 'file', path, encoding: 'base64', content: Buffer.from(text).toString('base64') },
        { etag: etagOf(text) },
      );
    return true;
  }
  if (method === 'POST' && rest[0] === 'issues' && rest[1] === 'comments' && rest[3] === 'reactions') {
    const list = repo.reactions.get(n(2)) ?? [];
    const existing = list.find((r) => r.content === body?.content);
    if (existing) {
      send(res, 200, existing); // GitHub answers 200 with the reaction already there
      return true;
    }
    const reaction: FakeReaction = { id: ctx.nextId(), content: body?.content ?? '' };
    repo.reactions.set(n(2), [...list, reaction]);
    send(res, 201, reaction);
    return true;
  }
  if (rest[0] === 'issues' && /^\d+$/.test(rest[1] ?? '') && rest[2] === 'comments' && rest.length === 3) {
    const list = repo.comments.get(n(1)) ?? [];
    if (method === 'GET') {
      send(res, 200, list);
      return true;
    }
    if (method === 'POST') {
      const comment: FakeComment = { id: ctx.nextId(), body: body?.body ?? '', user: { login: 'nectr', type: 'User' } };
      repo.comments.set(n(1), [...list, comment]);
      send(res, 201, {
        ...comment,
        html_url: `https://github.example/${repo.owner}/${repo.name}/pull/${n(1)}#issuecomment-${comment.id}`,
      });
      return true;
    }
  }
  return false;
}
