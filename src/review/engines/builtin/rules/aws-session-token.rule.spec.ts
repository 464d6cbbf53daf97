import { describe, expect, it } from '@jest/globals';
import { AwsSessionTokenRule } from './aws-session-token.rule.js';

const TOKEN =
  'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD8mYw3FkUjsJ5qtW2NhVZb3LQ1pq6Bq7Y2QmZ7uXyZkQIgQw2y4Ck7Yp9xPnB3qv8Zs0F1J3yD9Wcb';
const check = (text: string) =>
  new AwsSessionTokenRule().check({ filename: '.env', status: 'added', additions: 1, deletions: 0 }, [
    { line: 2, text },
  ]);

describe('secrets/aws-session-token', () => {
  it('flags a session token assigned to its AWS name, masked', () => {
    const [finding] = check(`AWS_SESSION_TOKEN=${TOKEN}`);
    expect(finding).toMatchObject({ ruleId: 'secrets/aws-session-token', severity: 'high', line: 2 });
    expect(finding?.message).not.toContain(TOKEN.slice(0, 20));
    expect(check(`aws_session_token = "${TOKEN}"`)).toHaveLength(1);
  });

  it('ignores references, short values and filler', () => {
    expect(check('AWS_SESSION_TOKEN=${AWS_SESSION_TOKEN}')).toEqual([]);
    expect(check('aws_session_token = "abc"')).toEqual([]);
    expect(check(`aws_session_token = "${'x'.repeat(120)}"`)).toEqual([]);
  });
});
