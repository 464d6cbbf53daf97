import { describe, expect, it } from '@jest/globals';
import { AwsAccessKeyRule } from './aws-access-key.rule.js';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const check = (text: string) =>
  new AwsAccessKeyRule().check({ filename: 'src/aws.ts', status: 'modified', additions: 1, deletions: 0 }, [
    { line: 7, text },
  ]);

describe('secrets/aws-access-key', () => {
  it('flags AKIA and ASIA key ids, masked', () => {
    const [finding] = check(`const id = '${KEY}';`);
    expect(finding).toMatchObject({
      ruleId: 'secrets/aws-access-key',
      severity: 'critical',
      path: 'src/aws.ts',
      line: 7,
    });
    expect(finding?.message).toContain('`AKIA…`');
    expect(finding?.message).not.toContain(KEY);
    expect(check('AWS_ACCESS_KEY_ID=ASIAY34FZKBOKMUTVV7A')).toHaveLength(1);
  });

  it('ignores near misses: too short, lower case, inside a longer word', () => {
    expect(check("const id = 'AKIAIOSFODNN7EXAMP';")).toEqual([]);
    expect(check("const id = 'akiaiosfodnn7example';")).toEqual([]);
    expect(check(`const id = 'X${KEY}';`)).toEqual([]);
    expect(check('const id = process.env.AWS_ACCESS_KEY_ID;')).toEqual([]);
  });
});
