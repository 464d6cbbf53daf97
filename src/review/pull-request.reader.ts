import { Inject, Injectable } from '@nestjs/common';
import { githubStatus } from '../github/github-errors.js';
import { GITHUB_CLIENT } from '../github/github.module.js';
import type { GithubClient } from '../github/octokit.factory.js';
import type { ReviewFile } from './engines/review-engine.js';

export interface PullRequestInfo {
  number: number;
  title: string;
  body: string | null;
  state: string;
  draft: boolean;
  headSha: string;
  htmlUrl: string;
}

/** What changed between two heads: the range's files, or why the whole PR must be reviewed. */
export type CompareResult = { files: ReviewFile[] } | { full: string };

/** GitHub's compare API lists at most 300 files. */
export const MAX_COMPARE_FILES = 300;

/** GitHub lists at most 3000 files of a pull request. */
export const MAX_PULL_FILES = 3000;

@Injectable()
export class PullRequestReader {
  constructor(@Inject(GITHUB_CLIENT) private readonly github: GithubClient) {}

  async get(owner: string, repo: string, number: number): Promise<PullRequestInfo> {
    const { data } = await this.github.rest.pulls.get({ owner, repo, pull_number: number });
    return {
      number: data.number,
      title: data.title,
      body: data.body,
      state: data.state,
      draft: data.draft ?? false,
      headSha: data.head.sha,
      htmlUrl: data.html_url,
    };
  }

  /**
   * The files `base...head` changed, with their patches, when `head` is `base` plus commits. A
   * force-push or rebase (`diverged`, `behind`), a base GitHub no longer knows (404, 422) or a range
   * over the compare API's 300 files means a full review instead.
   */
  async compare(owner: string, repo: string, base: string, head: string): Promise<CompareResult> {
    try {
      const { data } = await this.github.rest.repos.compareCommitsWithBasehead({
        owner,
        repo,
        basehead: `${base}...${head}`,
        per_page: 1, // the files come whole on the first page; commits are not needed
      });
      if (data.status !== 'ahead' && data.status !== 'identical') return { full: `${data.status} from ${short(base)}` };
      const files = data.files ?? [];
      if (files.length >= MAX_COMPARE_FILES) return { full: `over ${MAX_COMPARE_FILES} files since ${short(base)}` };
      return { files: files.map(toReviewFile) };
    } catch (error) {
      const status = githubStatus(error);
      if (status === 404 || status === 422) return { full: `${short(base)} is no longer comparable (${status})` };
      throw error;
    }
  }

  async files(owner: string, repo: string, number: number): Promise<ReviewFile[]> {
    const files: ReviewFile[] = [];
    for await (const page of this.github.paginate.iterator(this.github.rest.pulls.listFiles, {
      owner,
      repo,
      pull_number: number,
      per_page: 100,
    })) {
      for (const f of page.data) files.push(toReviewFile(f));
      if (files.length >= MAX_PULL_FILES) break;
    }
    return files.slice(0, MAX_PULL_FILES);
  }
}

const short = (sha: string): string => sha.slice(0, 7);

function toReviewFile(f: { filename: string; status: string; additions: number; deletions: number; patch?: string }) {
  return { filename: f.filename, status: f.status, additions: f.additions, deletions: f.deletions, patch: f.patch };
}
