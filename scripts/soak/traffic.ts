// The traffic of `npm run soak`: many installed repositories, signed pull_request deliveries for
// distinct PRs (opened, then some synchronized), and a share of what a long-lived process also
// meets: bad signatures, unknown hooks, pings, API calls and sessions from many client addresses,
// metrics scrapes, repository configuration reads, GitHub failing reads (chaos on the fake).
import { createHash, createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import type { FakeGitHubLike } from '../bench/fake-github.js';
import { WEBHOOK_PATH } from '../bench/settings.js';
import { call, deliveryAgent } from './http.js';

const require = createRequire(import.meta.url);

export interface SoakRepo {
  fullName: string;
  owner: string;
  name: string;
  id: number;
  hookId: number;
  secret: string;
}

interface Target {
  port: number;
  apiToken: string;
}

type Payload = Record<string, unknown> & {
  number: number;
  action: string;
  pull_request: { number: number; draft: boolean; head: { sha: string }; base: { repo: Record<string, unknown> } };
  repository: Record<string, unknown> & { owner: Record<string, unknown> };
};

function example(): Payload {
  const examples = require('@octokit/webhooks-examples') as Array<{ name: string; examples: Payload[] }>;
  const found = examples.find((e) => e.name === 'pull_request')?.examples.find((e) => e.action === 'opened');
  if (!found) throw new Error('@octokit/webhooks-examples has no pull_request.opened example');
  return found;
}

/** Installs `count` repositories through Nectr's API (a few at a time); the fake GitHub gets each hook. */
export async function installRepos(nectr: Target, github: FakeGitHubLike, count: number): Promise<SoakRepo[]> {
  const repos: SoakRepo[] = [];
  for (let first = 0; first < count; first += 8) {
    const batch = Array.from({ length: Math.min(8, count - first) }, (_, j) => first + j);
    repos.push(
      ...(await Promise.all(
        batch.map(async (i) => {
          const owner = `soak-org-${i % 25}`;
          const name = `repo-${i}`;
          const fullName = `${owner}/${name}`;
          const id = github.addRepo(fullName).id;
          const answer = await call(nectr.port, 'POST', `/api/v1/repos/${fullName}/install`, {
            headers: { authorization: `Bearer ${nectr.apiToken}`, 'content-type': 'application/json' },
            body: '{}',
          });
          const hookId = (JSON.parse(answer.body) as { hook_id?: number }).hook_id;
          const secret = hookId ? github.repo(fullName).hooks.get(hookId)?.config.secret : undefined;
          if (answer.status >= 300 || !hookId || !secret)
            throw new Error(`installing ${fullName}: ${answer.status} ${answer.body}`);
          return { fullName, owner, name, id, hookId, secret };
        }),
      )),
    );
  }
  return repos;
}

export class Traffic {
  private readonly base = example();
  private readonly counts = { deliveries: 0, refused: 0, api: 0, other: 0 };
  private serial = 0;

  constructor(
    private readonly nectr: Target,
    private readonly github: FakeGitHubLike,
    private readonly repos: SoakRepo[],
    private readonly files: unknown[],
    private readonly runId: string,
  ) {}

  totals() {
    return { ...this.counts };
  }

  /**
   * One batch: `size` new PRs across the repositories (every fourth then gets a push), and the
   * extra traffic around them. Resolves when Nectr has answered everything.
   */
  async batch(first: number, size: number): Promise<void> {
    const sends: Array<Promise<unknown>> = [];
    for (let k = first; k < first + size; k++) {
      const repo = this.repos[k % this.repos.length];
      const number = 1 + Math.floor(k / this.repos.length);
      const sha = this.sha(`${k}:0`);
      this.github.addPull(repo.fullName, { number, files: this.files, head: { sha, ref: `soak-${k}` } });
      sends.push(this.deliver(repo, this.pullPayload(repo, number, 'opened', sha)));
      if (k % 4 === 0) {
        const next = this.sha(`${k}:1`);
        this.github.push(repo.fullName, number, { sha: next, files: this.files, range: this.files });
        sends.push(
          this.deliver(repo, { ...this.pullPayload(repo, number, 'synchronize', next), before: sha, after: next }),
        );
      }
      if (k % 10 === 0) sends.push(this.extra(k, repo));
    }
    await Promise.all(sends);
  }

  private async extra(k: number, repo: SoakRepo): Promise<void> {
    const from = `127.0.0.${2 + (k % 250)}`;
    const bearer = { authorization: `Bearer ${this.nectr.apiToken}` };
    const kind = (k / 10) % 8;
    if (kind === 0) await this.refused(repo, { signature: 'sha256=' + '0'.repeat(64) });
    else if (kind === 1) await this.refused(repo, { hookId: String(900_000_000 + k) });
    else if (kind === 2)
      await this.deliver(repo, { zen: 'Soak.', hook_id: repo.hookId, repository: this.repository(repo) }, 'ping');
    else if (kind === 3) await this.api('GET', '/api/v1/events?limit=5', { headers: bearer, from });
    else if (kind === 4) await this.api('GET', `/api/v1/repos/${repo.fullName}/config`, { headers: bearer, from });
    else if (kind === 5) await this.session(from);
    else if (kind === 6) await this.api('GET', '/api/v1/stats/overview', { headers: bearer, from });
    else await this.api('GET', '/metrics', { headers: bearer, from });
  }

  private async session(from: string): Promise<void> {
    const signIn = await this.api('POST', '/api/v1/session', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: this.nectr.apiToken }),
      from,
    });
    const cookie = String(signIn.headers['set-cookie'] ?? '').split(';')[0];
    const csrf = (JSON.parse(signIn.body) as { csrf_token?: string }).csrf_token ?? '';
    await this.api('DELETE', '/api/v1/session', { headers: { cookie, 'x-csrf-token': csrf }, from });
  }

  private async api(method: string, path: string, o: Parameters<typeof call>[3]) {
    const answer = await call(this.nectr.port, method, path, o);
    this.counts.api++;
    if (answer.status >= 400)
      throw new Error(`${method} ${path} answered ${answer.status} ${answer.body.slice(0, 300)}`);
    return answer;
  }

  private repository(repo: SoakRepo) {
    return {
      ...this.base.repository,
      id: repo.id,
      name: repo.name,
      full_name: repo.fullName,
      owner: { ...this.base.repository.owner, login: repo.owner },
    };
  }

  private pullPayload(repo: SoakRepo, number: number, action: string, sha: string): Payload {
    const repository = this.repository(repo);
    const pull = this.base.pull_request;
    return {
      ...this.base,
      action,
      number,
      repository,
      pull_request: {
        ...pull,
        number,
        draft: false,
        head: { ...pull.head, sha },
        base: { ...pull.base, repo: repository },
      },
    };
  }

  private sha(seed: string): string {
    return createHash('sha1').update(`${this.runId}:${seed}`).digest('hex');
  }

  private headers(repo: SoakRepo, event: string, body: Buffer): Record<string, string> {
    return {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/soak',
      'x-github-event': event,
      'x-github-delivery': `soak-${this.runId}-${this.serial++}`,
      'x-github-hook-id': String(repo.hookId),
      'x-github-hook-installation-target-type': 'repository',
      'x-github-hook-installation-target-id': String(repo.id),
      'x-hub-signature-256': `sha256=${createHmac('sha256', repo.secret).update(body).digest('hex')}`,
    };
  }

  private async deliver(repo: SoakRepo, payload: object, event = 'pull_request'): Promise<void> {
    const body = Buffer.from(JSON.stringify(payload));
    const answer = await call(this.nectr.port, 'POST', WEBHOOK_PATH, {
      headers: this.headers(repo, event, body),
      body,
      agent: deliveryAgent,
    });
    this.counts.deliveries++;
    if (answer.status !== 200) throw new Error(`a delivery answered ${answer.status} ${answer.body.slice(0, 300)}`);
  }

  private async refused(repo: SoakRepo, change: { signature?: string; hookId?: string }): Promise<void> {
    const body = Buffer.from(JSON.stringify(this.pullPayload(repo, 1, 'opened', this.sha('refused'))));
    const headers = this.headers(repo, 'pull_request', body);
    if (change.signature) headers['x-hub-signature-256'] = change.signature;
    if (change.hookId) headers['x-github-hook-id'] = change.hookId;
    const answer = await call(this.nectr.port, 'POST', WEBHOOK_PATH, { headers, body, agent: deliveryAgent });
    this.counts.refused++;
    if (answer.status !== 403)
      throw new Error(`a refused delivery answered ${answer.status} ${answer.body.slice(0, 300)}`);
  }
}
