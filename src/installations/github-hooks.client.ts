import {
  BadGatewayException,
  HttpException,
  Inject,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { appConfig } from '../config/index.js';
import { RetryLaterException } from '../common/retry-later.exception.js';
import { githubMessage, githubStatus, rateLimitWaitSeconds } from '../github/github-errors.js';
import { GITHUB_INTERACTIVE_CLIENT } from '../github/github.module.js';
import type { GithubClient } from '../github/octokit.factory.js';

/**
 * GitHub's 422 for a second hook with the same payload URL on a repository: another install of the
 * same repository got there first, or a hook to this URL exists that Nectr does not know.
 */
export class HookExistsException extends UnprocessableEntityException {}

export interface HookConfig {
  url: string;
  content_type: 'json';
  secret: string;
  insecure_ssl: '0';
}

/** The repository-hook calls Nectr makes, with GitHub's failures turned into answers users can act on. */
@Injectable()
export class GithubHooksClient {
  constructor(
    @Inject(GITHUB_INTERACTIVE_CLIENT) private readonly github: GithubClient,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  hookConfig(secret: string): HookConfig {
    return { url: `${this.app.backendUrl}/api/v1/webhooks/github`, content_type: 'json', secret, insecure_ssl: '0' };
  }

  async getRepository(
    owner: string,
    repo: string,
  ): Promise<{ id: number; owner: string; name: string; fullName: string }> {
    const { data } = await this.call(`${owner}/${repo}`, () => this.github.rest.repos.get({ owner, repo }));
    return { id: data.id, owner: data.owner.login, name: data.name, fullName: data.full_name };
  }

  async createHook(owner: string, repo: string, secret: string, events: string[]): Promise<number> {
    const { data } = await this.call(`${owner}/${repo}`, () =>
      this.github.rest.repos.createWebhook({
        owner,
        repo,
        name: 'web',
        config: this.hookConfig(secret),
        events,
        active: true,
      }),
    );
    return data.id;
  }

  /**
   * Whether the hook still exists on GitHub and is as Nectr creates it (active, delivering JSON to
   * this BACKEND_URL over verified TLS, for `events`): `missing`, `stale` (someone disabled or edited
   * it on GitHub, or BACKEND_URL changed since) or `current`.
   */
  async hookState(
    owner: string,
    repo: string,
    hookId: number,
    events: string[],
  ): Promise<'missing' | 'stale' | 'current'> {
    try {
      const { data } = await this.call(`${owner}/${repo}`, () =>
        this.github.rest.repos.getWebhook({ owner, repo, hook_id: hookId }),
      );
      const wanted = this.hookConfig('');
      const current =
        data.active &&
        data.config.url === wanted.url &&
        data.config.content_type === wanted.content_type &&
        String(data.config.insecure_ssl ?? '0') === wanted.insecure_ssl &&
        data.events.length === events.length &&
        events.every((event) => data.events.includes(event));
      return current ? 'current' : 'stale';
    } catch (error) {
      if (error instanceof NotFoundException) return 'missing';
      throw error;
    }
  }

  /** The repository's hook delivering to this BACKEND_URL, if it has one (GitHub allows one per URL). */
  async findHook(owner: string, repo: string): Promise<number | null> {
    const hooks = await this.call(`${owner}/${repo}`, () =>
      this.github.paginate(this.github.rest.repos.listWebhooks, { owner, repo, per_page: 100 }),
    );
    const url = this.hookConfig('').url;
    return hooks.find((hook) => hook.config.url === url)?.id ?? null;
  }

  /**
   * GitHub replaces `config` whole on PATCH: a secret left out would be dropped, so send it all. A
   * failure GitHub answered with a 4xx (it applied nothing) is told by refusedByGithub(); any other
   * (a 5xx, a timeout, a closed connection) may come after GitHub applied the change.
   */
  async updateHook(owner: string, repo: string, hookId: number, secret: string, events: string[]): Promise<void> {
    await this.call(`${owner}/${repo}`, () =>
      this.github.rest.repos.updateWebhook({
        owner,
        repo,
        hook_id: hookId,
        config: this.hookConfig(secret),
        events,
        active: true,
      }),
    );
  }

  /** Deleting a hook that is already gone is fine. */
  async deleteHook(owner: string, repo: string, hookId: number): Promise<void> {
    try {
      await this.call(`${owner}/${repo}`, () => this.github.rest.repos.deleteWebhook({ owner, repo, hook_id: hookId }));
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
    }
  }

  private async call<T>(repo: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const failure = toHttpError(error, repo);
      const status = githubStatus(error);
      if (status >= 400 && status < 500) refused.add(failure);
      throw failure;
    }
  }
}

const refused = new WeakSet<object>();

/** Whether a hook call failed with an answer from GitHub that it applied nothing (a 4xx). */
export function refusedByGithub(error: unknown): boolean {
  return typeof error === 'object' && error !== null && refused.has(error);
}

export function toHttpError(error: unknown, repo: string): HttpException {
  const status = githubStatus(error);
  const message = githubMessage(error);
  if (status === 404) {
    return new NotFoundException(
      `GitHub says repository ${repo} was not found, or GITHUB_TOKEN cannot manage its hooks (it needs admin rights on the repository: the admin:repo_hook scope or "Webhooks: write")`,
    );
  }
  const wait = rateLimitWaitSeconds(error);
  if (wait !== null)
    return new RetryLaterException(
      `GitHub's rate limit for GITHUB_TOKEN is used up (${message}): try again in ${wait} s`,
      wait,
    );
  if (status === 422)
    return /hook already exists/i.test(message)
      ? new HookExistsException(`GitHub rejected the hook: ${message}`)
      : new UnprocessableEntityException(`GitHub rejected the hook: ${message}`);
  if (status === 401)
    return new BadGatewayException(
      `GitHub rejected GITHUB_TOKEN (${message}): set a valid token with the admin:repo_hook scope`,
    );
  if (status === 403)
    return new BadGatewayException(`GitHub refused the request (${message}): check GITHUB_TOKEN's permissions`);
  if (status === 0)
    return new BadGatewayException(
      `GitHub is unreachable at GITHUB_API_URL (${message}): check the URL and the network`,
    );
  return new BadGatewayException(`GitHub answered ${status} (${message}): try again later`);
}
