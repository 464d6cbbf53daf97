import { Inject, Injectable, Logger } from '@nestjs/common';
import { githubStatus, rateLimitWaitSeconds } from '../../github/github-errors.js';
import { GITHUB_CLIENT } from '../../github/github.module.js';
import type { GithubClient } from '../../github/octokit.factory.js';

/**
 * Who Nectr's token writes as on GitHub: markers count only in what that login wrote, since anyone
 * who can comment on a pull request could paste one to hide a finding.
 *
 * Learnt from what the token writes: the `pending` status every review sets before it reads the
 * PR, or a posted review (GitHub names their author). Only when a login is needed before that (the
 * token may not set statuses) is it asked once per process with `GET /user`. GitHub refuses that to
 * an app's installation token (403 or 404): until the token writes something, every marker counts.
 * Any other failure (a 5xx, the network, a rate limit) is not kept: the attempt fails and is
 * retried, and the login is asked again, rather than trusting every marker for the rest of the
 * process.
 */
@Injectable()
export class OwnLogin {
  private readonly logger = new Logger(OwnLogin.name);
  private asked?: Promise<string | null>;
  private learnt?: string;

  constructor(@Inject(GITHUB_CLIENT) private readonly github: GithubClient) {}

  /** The login, or null while it is unknown (then every marker counts). */
  async get(): Promise<string | null> {
    if (this.learnt) return this.learnt;
    this.asked ??= this.github.rest.users.getAuthenticated().then(
      ({ data }) => data.login,
      (error: Error) => {
        const status = githubStatus(error);
        if ((status !== 403 && status !== 404) || rateLimitWaitSeconds(error) !== null) {
          this.asked = undefined;
          throw error;
        }
        this.logger.warn(
          `Could not read the token's login (${error.message}); it is learnt from the first status or review it writes`,
        );
        return null;
      },
    );
    return (await this.asked) ?? this.learnt ?? null;
  }

  /** The author GitHub gave something the token just wrote. */
  learn(login: string | undefined): void {
    if (login) this.learnt ??= login;
  }
}
