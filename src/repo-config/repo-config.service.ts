import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { repoConfigConfig } from '../config/index.js';
import { githubMessage, githubStatus } from '../github/github-errors.js';
import { GITHUB_CLIENT, GITHUB_INTERACTIVE_CLIENT } from '../github/github.module.js';
import type { GithubClient } from '../github/octokit.factory.js';
import { mergeConfig, type ConfigSource, type MergedConfig } from './repo-config.merge.js';
import { parseConfig, problemsLine, type ConfigProblem, type ParsedConfig } from '../config/repo-config.parser.js';
import { CONFIG_FILE } from '../config/repo-config.schema.js';
import { LruMap } from '../common/lru-map.js';

/** A larger `.nectr.yml` is refused unread: no configuration needs it, and it is parsed on every change. */
export const MAX_CONFIG_BYTES = 64 * 1024;
const MAX_CACHED_REPOS = 10_000;

export interface LoadedConfig extends MergedConfig {
  /** Whether the repository has a `.nectr.yml` on its default branch. */
  present: boolean;
  /** Why the repository's file was not applied (empty when it was, or when there is none). */
  problems: ConfigProblem[];
  /** The line that opens a review when the file was not applied. */
  notice?: string;
}

type CachedFile = { etag: string; parsed: ParsedConfig } | { missingUntil: number };

/**
 * The configuration of one repository: defaults, the operator's file, the repository's
 * `.nectr.yml` from the root of its default branch (the contents API without a ref; never the PR's
 * head, so a pull request cannot switch off its own review). The file is cached per repository
 * and per process and re-read with If-None-Match: GitHub's 304 costs no rate limit. A repository
 * without the file is asked again after REPO_CONFIG_MISSING_TTL_SECONDS.
 */
@Injectable()
export class RepoConfigService {
  private readonly logger = new Logger(RepoConfigService.name);
  private readonly cache = new LruMap<string, CachedFile>(MAX_CACHED_REPOS);

  constructor(
    @Inject(GITHUB_CLIENT) private readonly github: GithubClient,
    @Inject(GITHUB_INTERACTIVE_CLIENT) private readonly interactive: GithubClient,
    @Inject(repoConfigConfig.KEY) private readonly settings: ConfigType<typeof repoConfigConfig>,
  ) {}

  /** For a review job (patient client); GitHub errors propagate so the job is retried. */
  forReview(owner: string, repo: string): Promise<LoadedConfig> {
    return this.load(owner, repo, this.github);
  }

  /** For an API request (answers in seconds). */
  forRequest(owner: string, repo: string): Promise<LoadedConfig> {
    return this.load(owner, repo, this.interactive);
  }

  private async load(owner: string, repo: string, client: GithubClient): Promise<LoadedConfig> {
    const parsed = await this.read(owner, repo, client);
    const layers: Array<{ source: ConfigSource; file: Parameters<typeof mergeConfig>[0][number]['file'] }> = [
      { source: 'operator', file: this.settings.defaults },
    ];
    if (parsed?.ok) layers.push({ source: 'repository', file: parsed.file });
    const merged = mergeConfig(layers);
    if (!parsed || parsed.ok) return { ...merged, present: parsed !== null, problems: [] };
    return { ...merged, present: true, problems: parsed.problems, notice: problemsLine(parsed.problems, CONFIG_FILE) };
  }

  /** The parsed file, or null when the default branch has none. */
  private async read(owner: string, repo: string, client: GithubClient): Promise<ParsedConfig | null> {
    const key = `${owner}/${repo}`.toLowerCase();
    const known = this.cache.get(key);
    if (known && 'missingUntil' in known && known.missingUntil > Date.now()) return null;
    const cached = known && 'etag' in known ? known : undefined;
    try {
      const response = await client.rest.repos.getContent({
        owner,
        repo,
        path: CONFIG_FILE,
        mediaType: { format: 'raw' },
        headers: cached ? { 'if-none-match': cached.etag } : {},
      });
      const text = typeof response.data === 'string' ? response.data : '';
      const parsed: ParsedConfig =
        Buffer.byteLength(text) > MAX_CONFIG_BYTES
          ? { ok: false, problems: [{ key: '', message: `larger than ${MAX_CONFIG_BYTES / 1024} KB` }] }
          : typeof response.data === 'string'
            ? parseConfig(text)
            : { ok: false, problems: [{ key: '', message: 'not a file' }] };
      const etag = response.headers.etag;
      if (etag) this.cache.set(key, { etag, parsed });
      else this.cache.delete(key);
      return parsed;
    } catch (error) {
      const status = githubStatus(error);
      if (status === 304 && cached) return cached.parsed;
      if (status === 404) {
        if (this.settings.missingTtlMs > 0)
          this.cache.set(key, { missingUntil: Date.now() + this.settings.missingTtlMs });
        else this.cache.delete(key);
        return null;
      }
      this.logger.warn(`Reading ${CONFIG_FILE} of ${owner}/${repo} failed: ${githubMessage(error)}`);
      // The last copy read is better than no review; without one, the caller's retry decides.
      if (cached) return cached.parsed;
      throw error;
    }
  }
}
