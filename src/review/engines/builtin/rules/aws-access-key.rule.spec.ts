import { describe, expect, it } from '@jest/globals';
import { AwsAccessKeyRule } from './aws-access-key.rule.js';

const KEY = 'AKIAQYLPMN5HFIQR7XYA';
const check = (text: string) =>
  new AwsAccessKeyRule().check({ filename: 'src/aws.ts', status: 'modified', additions: 1, deletions: 0 }, [
    { line: 7, text },
  ]);

describe('secrets/aws-access-key', () => {
  it('flags key ids of every credential prefix, masked', () => {
    const [finding] = check(`const id = '${KEY}';`);
    expect(finding).toMatchObject({
      ruleId: 'secrets/aws-access-key',
      severity: 'critical',
      path: 'src/aws.ts',
      line: 7,
    });
    expect(finding?.message).toContain('`AKIA…`');
    expect(finding?.message).not.toContain(KEY);
    for (const prefix of ['ASIA', 'ABIA', 'ACCA', 'A3TX'])
      expect(check(`AWS_ACCESS_KEY_ID=${prefix}${KEY.slice(4)}`)).toHaveLength(1);
  });

  it("ignores AWS's documentation key, filler and near misses", () => {
    expect(check("const id = 'AKIAIOSFODNN7EXAMPLE';")).toEqual([]);
    expect(check('key = AKIAXXXXXXXXXXXXXXXX')).toEqual([]);
    expect(check("const id = 'AKIAQYLPMN5HFIQR7XY';")).toEqual([]);
    expect(check("const id = 'akiaqylpmn5hfiqr7xya';")).toEqual([]);
    expect(check(`const id = 'X${KEY}';`)).toEqual([]);
    expect(check('const id = process.env.AWS_ACCESS_KEY_ID;')).toEqual([]);
  });
});
