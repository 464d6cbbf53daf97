import { describe, expect, it } from '@jest/globals';
import { factsOf, parseDelivery, PayloadError, repositoryOf } from './webhook-payload.js';

const SHA = 'c'.repeat(40);
const pr = (over: Record<string, unknown> = {}) => ({
  number: 7,
  draft: false,
  head: { sha: SHA },
  updated_at: '2026-11-27T10:00:00Z',
  ...over,
});

describe('parseDelivery', () => {
  it('keeps the JSON text as delivered', () => {
    const raw = Buffer.from('{\n  "zen": "Ünïcode ✓"\n}');
    expect(parseDelivery(raw, 'application/json')).toEqual({ bytes: raw, body: { zen: 'Ünïcode ✓' } });
  });

  it('reads the payload field of a form body', () => {
    const raw = Buffer.from(`payload=${encodeURIComponent('{"zen":"a+b & c"}')}`);
    const parsed = parseDelivery(raw, 'application/x-www-form-urlencoded');
    expect(parsed.body).toEqual({ zen: 'a+b & c' });
    expect(parsed.bytes.toString()).toBe('{"zen":"a+b & c"}'); // what is stored: the JSON, not the form
  });

  it.each([
    ['{"a":', 'application/json', 'not valid JSON'],
    ['[1,2]', 'application/json', 'must be a JSON object'],
    ['null', 'application/json', 'must be a JSON object'],
    ['other=1', 'application/x-www-form-urlencoded', '"payload" field'],
    ['payload=%7B', 'application/x-www-form-urlencoded', 'not valid JSON'],
  ])('rejects %p (%s)', (raw, type, message) => {
    expect(() => parseDelivery(Buffer.from(raw), type)).toThrow(PayloadError);
    expect(() => parseDelivery(Buffer.from(raw), type)).toThrow(message);
  });

  it('drops NUL characters Postgres jsonb cannot store, in values and keys, but not escaped text', () => {
    expect(parseDelivery(Buffer.from('{"m":"a\\u0000b"}'), 'application/json').bytes.toString()).toBe('{"m":"ab"}');
    expect(parseDelivery(Buffer.from('{"k\\u0000":1}'), 'application/json').body).toEqual({ k: 1 });
    // An escaped backslash followed by the letters u0000 is text, not a NUL.
    expect(parseDelivery(Buffer.from('{"m":"\\\\u0000"}'), 'application/json').body).toEqual({ m: '\\u0000' });
    expect(parseDelivery(Buffer.from('{"m":"\\\\\\u0000"}'), 'application/json').body).toEqual({ m: '\\' });
  });

  it('refuses absurd nesting before parsing it, and accepts GitHub-like depth', () => {
    const deep = '{"z":"\\u0000","d":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
    expect(() => parseDelivery(Buffer.from(deep), 'application/json')).toThrow('nests deeper than 256 levels');
    const fine = '{"d":' + '['.repeat(200) + ']'.repeat(200) + '}';
    expect(parseDelivery(Buffer.from(fine), 'application/json').body).toHaveProperty('d');
  });
});

describe('repositoryOf', () => {
  it('reads a well-typed repository and ignores wrong types', () => {
    expect(repositoryOf({ repository: { id: 42, full_name: 'octo/hello' } })).toEqual({
      id: 42,
      fullName: 'octo/hello',
    });
    expect(repositoryOf({ repository: { id: '42', full_name: ['x'] } })).toEqual({
      id: undefined,
      fullName: undefined,
    });
    expect(repositoryOf({ repository: 'octo/hello' })).toEqual({});
    expect(repositoryOf({ repository: { id: -1, full_name: '../../etc/passwd' } })).toEqual({
      id: undefined,
      fullName: undefined,
    });
  });
});

describe('factsOf', () => {
  it.each(['opened', 'synchronize', 'reopened', 'ready_for_review'])('reviews pull_request %s', (action) => {
    expect(factsOf('pull_request', { action, pull_request: pr() })).toEqual({
      action,
      prNumber: 7,
      headSha: SHA,
      prUpdatedAt: new Date('2026-11-27T10:00:00Z'),
      reviewable: true,
    });
  });

  it('queues drafts: the worker decides with the repository configuration (review.drafts)', () => {
    expect(factsOf('pull_request', { action: 'opened', pull_request: pr({ draft: true }) }).reviewable).toBe(true);
  });

  it('queues /nectr commands on pull requests from maintainers, and stores the rest', () => {
    const comment = (over: Record<string, unknown> = {}, issue: Record<string, unknown> = {}) => ({
      action: 'created',
      issue: { number: 9, pull_request: { url: 'https://api.github.com/repos/o/r/pulls/9' }, ...issue },
      comment: {
        id: 1,
        body: '/nectr review',
        author_association: 'MEMBER',
        user: { login: 'ann', type: 'User' },
        ...over,
      },
    });
    expect(factsOf('issue_comment', comment())).toEqual({
      action: 'created',
      prNumber: 9,
      headSha: null,
      prUpdatedAt: null,
      reviewable: true,
    });
    expect(factsOf('issue_comment', comment({ author_association: 'OWNER' })).reviewable).toBe(true);
    expect(factsOf('issue_comment', comment({ author_association: 'COLLABORATOR' })).reviewable).toBe(true);
    expect(factsOf('issue_comment', comment({ author_association: 'NONE' })).reviewable).toBe(false);
    expect(factsOf('issue_comment', comment({ author_association: 'CONTRIBUTOR' })).reviewable).toBe(false);
    expect(factsOf('issue_comment', comment({ user: { login: 'ci', type: 'Bot' } })).reviewable).toBe(false);
    expect(factsOf('issue_comment', comment({ user: { login: 'nectr[bot]', type: 'User' } })).reviewable).toBe(false);
    expect(factsOf('issue_comment', comment({ body: 'LGTM\n/nectr review' })).reviewable).toBe(false);
    expect(factsOf('issue_comment', { ...comment(), action: 'edited' }).reviewable).toBe(false);
    expect(factsOf('issue_comment', comment({}, { pull_request: undefined })).reviewable).toBe(false);
    expect(factsOf('issue_comment', comment({ body: '/nectr pause\nplease' })).reviewable).toBe(true);
  });

  it('does not review other actions, other events, or PRs without a head', () => {
    expect(factsOf('pull_request', { action: 'closed', pull_request: pr() }).reviewable).toBe(false);
    expect(factsOf('pull_request_review', { action: 'submitted', pull_request: pr() }).reviewable).toBe(false);
    expect(factsOf('pull_request', { action: 'opened', pull_request: pr({ head: { sha: 'nope' } }) }).reviewable).toBe(
      false,
    );
    expect(factsOf('push', { ref: 'refs/heads/main' })).toEqual({
      action: null,
      prNumber: null,
      headSha: null,
      prUpdatedAt: null,
      reviewable: false,
    });
  });
});
