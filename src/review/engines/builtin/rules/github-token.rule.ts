import { LineRule, mask } from '../rule.js';

// Classic tokens are a prefix plus 36 base62 characters; fine-grained ones start `github_pat_`.
const GITHUB_TOKEN = /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/;

export class GithubTokenRule extends LineRule {
  readonly id = 'secrets/github-token';
  readonly severity = 'critical' as const;
  readonly description = 'A GitHub personal, OAuth, app or refresh token added to the code.';

  protected inspect(text: string): string | undefined {
    const token = GITHUB_TOKEN.exec(text)?.[0];
    if (!token) return undefined;
    return (
      `GitHub token \`${mask(token)}\` committed. Revoke it in GitHub settings now, then read ` +
      'it from the environment or a secrets manager.'
    );
  }
}
