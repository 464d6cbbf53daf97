import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { GITHUB_CLIENT } from '../../github/github.module.js';
import { findingMarker, fingerprint, type PostedFinding } from './fingerprint.js';
import { OwnLogin } from './own-login.js';
import { ReviewThreadsClient } from './review-threads.client.js';

const finding = (text: string): PostedFinding => ({
  fingerprint: fingerprint('r', 'a.ts', text),
  ruleId: 'r',
  path: 'a.ts',
  severity: 'high',
  inline: true,
});

/** A review thread opened by Nectr's comment on `f`; resolved by `resolvedBy` when given. */
const thread = (id: string, f: PostedFinding, resolvedBy?: string | null) => ({
  id,
  isResolved: resolvedBy !== undefined,
  resolvedBy: typeof resolvedBy === 'string' ? { login: resolvedBy } : null,
  comments: { nodes: [{ body: `A finding.\n\n${findingMarker({ ...f, message: 'm' })}` }] },
});

/** The client over a GraphQL endpoint holding `threads`, with Nectr's login `login` (null: unknown). */
async function client(threads: Array<ReturnType<typeof thread>>, login: string | null, mutationFails = false) {
  const mutations: Array<{ query: string; variables: Record<string, unknown> }> = [];
  const github = {
    graphql: (query: string, variables: Record<string, unknown>) => {
      if (query.startsWith('mutation')) {
        mutations.push({ query, variables });
        return mutationFails ? Promise.reject(new Error('Something went wrong')) : Promise.resolve({});
      }
      const reviewThreads = { pageInfo: { hasNextPage: false, endCursor: null }, nodes: threads };
      return Promise.resolve({ repository: { pullRequest: { reviewThreads } } });
    },
  };
  const moduleRef = await Test.createTestingModule({
    providers: [ReviewThreadsClient, OwnLogin, { provide: GITHUB_CLIENT, useValue: github }],
  })
    .overrideProvider(OwnLogin)
    .useValue({ get: () => Promise.resolve(login) })
    .compile();
  return { threads: moduleRef.get(ReviewThreadsClient), mutations };
}

describe('ReviewThreadsClient', () => {
  const [fixed, byNectr, byApp, byPerson] = ['fixed()', 'one()', 'two()', 'three()'].map(finding);
  const all = () => [
    thread('T1', fixed),
    thread('T2', byNectr, 'nectr-bot'),
    thread('T3', byApp, null),
    thread('T4', byPerson, 'alice'),
  ];

  it('resolves fixed findings and reopens what Nectr resolved of those back, never what a person did', async () => {
    const { threads, mutations } = await client(all(), 'nectr-bot');
    const done = await threads.sync('o', 'r', 1, { fixed: [fixed], back: [byNectr, byApp, byPerson] });
    expect(done).toEqual({ resolved: 1, reopened: 2 });
    expect(mutations.map((m) => [m.query.split('(')[0], Object.values(m.variables)])).toEqual([
      ['mutation NectrResolveThreads', ['T1']],
      ['mutation NectrReopenThreads', ['T2', 'T3']],
    ]);
    expect(mutations[1].query).toContain('t1: unresolveReviewThread(input: { threadId: $t1 })');
  });

  it('resolves no thread already resolved, whoever resolved it', async () => {
    const { threads, mutations } = await client(all(), 'nectr-bot');
    const done = await threads.sync('o', 'r', 1, { fixed: [fixed, byNectr, byApp, byPerson], back: [] });
    expect(done).toEqual({ resolved: 1, reopened: 0 });
    expect(mutations.map((m) => Object.values(m.variables))).toEqual([['T1']]);
  });

  it('says GitHub failed it when a mutation fails, so the next review tries again', async () => {
    const { threads, mutations } = await client(all(), 'nectr-bot', true);
    expect(await threads.sync('o', 'r', 1, { fixed: [fixed], back: [] })).toBeNull();
    expect(await threads.sync('o', 'r', 1, { fixed: [], back: [byNectr] })).toBeNull();
    expect(mutations).toHaveLength(2);
  });

  it("reopens only what no user resolved while Nectr's login is unknown", async () => {
    const { threads, mutations } = await client(all(), null);
    expect(await threads.sync('o', 'r', 1, { fixed: [], back: [byNectr, byApp, byPerson] })).toEqual({
      resolved: 0,
      reopened: 1,
    });
    expect(mutations.map((m) => Object.values(m.variables))).toEqual([['T3']]);
  });

  it('reads nothing when no finding is fixed or back, nor for findings never posted inline', async () => {
    const { threads, mutations } = await client(all(), 'nectr-bot');
    const inBody = { ...byNectr, inline: false };
    expect(await threads.sync('o', 'r', 1, { fixed: [], back: [inBody] })).toEqual({ resolved: 0, reopened: 0 });
    expect(mutations).toEqual([]);
  });
});
