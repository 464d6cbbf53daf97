import { Inject, Injectable } from '@nestjs/common';
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
  /** The author's login. */
  author: string | null;
  labels: string[];
}

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
      author: data.user?.login ?? null,
      labels: data.labels.map((label) => label.name),
    };
  }

  async files(owner: string, repo: string, number: number): Promise<ReviewFile[]> {
    const files: ReviewFile[] = [];
    for await (const page of this.github.paginate.iterator(this.github.rest.pulls.listFiles, {
      owner,
      repo,
      pull_number: number,
      per_page: 100,
    })) {
      for (const f of page.data) {
        files.push({
          filename: f.filename,
          status: f.status,
          additions: f.additions,
          deletions: f.deletions,
          patch: f.patch,
        });
      }
      if (files.length >= MAX_PULL_FILES) break;
    }
    return files.slice(0, MAX_PULL_FILES);
  }
}
