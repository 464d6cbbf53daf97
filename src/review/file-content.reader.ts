// File contents at a pull request's head, for engines that read whole files (the builtin engine's
// syntax checks, and its line rules where a string may span lines the patch does not show).
// Bounded per review: a pull request of thousands of files or a vendored 50 MB bundle costs a
// bounded number of GitHub calls and bytes; past a bound a file reads as null and the engine falls
// back to the patch.
import { Inject, Injectable } from '@nestjs/common';
import { GITHUB_CLIENT } from '../github/github.module.js';
import type { GithubClient } from '../github/octokit.factory.js';

export interface FileReadLimits {
  /** Files read per review (each one GitHub call). */
  maxFiles: number;
  /** A larger file reads as null (its bytes are still fetched once). */
  maxFileBytes: number;
  /** Bytes read per review, all files together. */
  maxTotalBytes: number;
}

export const DEFAULT_READ_LIMITS: FileReadLimits = {
  maxFiles: 300,
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 30 * 1024 * 1024,
};

@Injectable()
export class FileContentReader {
  constructor(@Inject(GITHUB_CLIENT) private readonly github: GithubClient) {}

  /** A reader of files at `ref`, with its own budget: one per review. */
  at(owner: string, repo: string, ref: string, limits = DEFAULT_READ_LIMITS): (path: string) => Promise<string | null> {
    let files = 0;
    let bytes = 0;
    return async (path) => {
      if (files >= limits.maxFiles || bytes >= limits.maxTotalBytes) return null;
      files++;
      const content = await this.raw(owner, repo, ref, path);
      if (content === null) return null;
      const size = Buffer.byteLength(content);
      bytes += size;
      // NUL never appears in text: a binary file has nothing for a linter.
      if (size > limits.maxFileBytes || bytes > limits.maxTotalBytes || content.includes('\0')) return null;
      return content;
    };
  }

  private async raw(owner: string, repo: string, ref: string, path: string): Promise<string | null> {
    try {
      const { data } = await this.github.rest.repos.getContent({
        owner,
        repo,
        path,
        ref,
        mediaType: { format: 'raw' },
      });
      return typeof data === 'string' ? data : null;
    } catch (error) {
      // Gone at the head (deleted, a submodule, a symlink out of the repo), or GitHub refuses: the
      // patch is still reviewed, so the review goes on without the content.
      if ((error as { status?: number }).status !== undefined) return null;
      throw error;
    }
  }
}
