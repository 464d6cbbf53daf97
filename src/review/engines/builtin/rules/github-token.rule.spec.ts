import { describe, expect, it } from '@jest/globals';
import { GithubTokenRule } from './github-token.rule.js';

const CLASSIC = `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`;
const FINE_GRAINED = `github_pat_11ABCDEFG0123456789abc_${'x'.repeat(59)}`;
const check = (text: string) =>
  new GithubTokenRule().check({ filename: 'deploy.sh', status: 'added', additions: 1, deletions: 0 }, [
    { line: 3, text },
  ]);

describe('secrets/github-token', () => {
  it.each([
    CLASSIC,
    CLASSIC.replace('ghp_', 'gho_'),
    CLASSIC.replace('ghp_', 'ghs_'),
    CLASSIC.replace('ghp_', 'ghu_'),
    CLASSIC.replace('ghp_', 'ghr_'),
    FINE_GRAINED,
  ])('flags %s, masked', (token) => {
    const [finding] = check(`export GH_TOKEN=${token}`);
    expect(finding).toMatchObject({ ruleId: 'secrets/github-token', severity: 'critical', line: 3 });
    expect(finding?.message).toContain(`\`${token.slice(0, 4)}…\``);
    expect(finding?.message).not.toContain(token);
  });

  it('ignores prefixes without a token-length body and env lookups', () => {
    expect(check("const prefix = 'ghp_';")).toEqual([]);
    expect(check('const token = "ghp_short123";')).toEqual([]);
    expect(check('export GH_TOKEN=${{ secrets.GITHUB_TOKEN }}')).toEqual([]);
    expect(check('const docs = "github_pat_ tokens are fine-grained";')).toEqual([]);
  });
});
