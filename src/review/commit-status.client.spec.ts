import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { GITHUB_CLIENT } from '../github/github.module.js';
import { CommitStatusClient, fitDescription, MAX_DESCRIPTION } from './commit-status.client.js';
import { OwnLogin } from './findings/own-login.js';

/** An octokit-like error: GitHub answered `status`. */
const answered = (status: number, message = 'Resource not accessible by personal access token', headers = {}) =>
  Object.assign(new Error(message), { status, response: { status, headers, data: { message } } });

async function client(failures: Error[]) {
  const calls: string[] = [];
  const github = {
    rest: {
      repos: {
        createCommitStatus: (params: { owner: string; repo: string }) => {
          calls.push(`${params.owner}/${params.repo}`);
          const failure = failures.shift();
          return failure
            ? Promise.reject(failure)
            : Promise.resolve({ status: 201, data: { creator: { login: 'nectr-bot' } } });
        },
      },
    },
  };
  const moduleRef = await Test.createTestingModule({
    providers: [CommitStatusClient, OwnLogin, { provide: GITHUB_CLIENT, useValue: github }],
  }).compile();
  return { statuses: moduleRef.get(CommitStatusClient), calls };
}

const target = (repo: string) => ({ owner: 'octo', repo, headSha: 'a'.repeat(40) });

describe('CommitStatusClient', () => {
  it('skips a status the token may not set, warning once per repository', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const { statuses, calls } = await client([answered(403), answered(403), answered(404), answered(404)]);
      await statuses.set(target('one'), 'pending', 'Reviewing…');
      await statuses.set(target('one'), 'success', 'No open findings');
      await statuses.set(target('two'), 'pending', 'Reviewing…');
      await statuses.set(target('One'), 'failure', '1 open finding');
      expect(calls).toHaveLength(4);
      expect(
        warn.mock.calls.map(([line]) =>
          String(line)
            .match(/on (\S+) \((\d+)\)/)
            ?.slice(1),
        ),
      ).toEqual([
        ['octo/one', '403'],
        ['octo/two', '404'],
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it('lets a rate limit or a GitHub failure through, so the job backs off', async () => {
    const { statuses } = await client([
      answered(403, 'API rate limit exceeded', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' }),
      answered(502, 'Bad gateway'),
    ]);
    await expect(statuses.set(target('one'), 'pending', 'Reviewing…')).rejects.toThrow('API rate limit exceeded');
    await expect(statuses.set(target('one'), 'pending', 'Reviewing…')).rejects.toThrow('Bad gateway');
  });
});

describe('CommitStatusClient.restoreVerdict', () => {
  type Listed = { context: string; state: string; description?: string; target_url?: string; login: string };
  async function restoring(listed: Listed[]) {
    const set: Array<Record<string, unknown>> = [];
    const github = {
      rest: {
        repos: {
          listCommitStatusesForRef: () =>
            Promise.resolve({
              data: listed.map(({ login, ...status }) => ({ ...status, creator: { login } })),
            }),
          createCommitStatus: (params: Record<string, unknown>) => {
            set.push(params);
            return Promise.resolve({ status: 201, data: { creator: { login: 'nectr-bot' } } });
          },
        },
      },
    };
    const moduleRef = await Test.createTestingModule({
      providers: [CommitStatusClient, OwnLogin, { provide: GITHUB_CLIENT, useValue: github }],
    }).compile();
    await moduleRef.get(CommitStatusClient).restoreVerdict(target('r'));
    return set.map(({ state, description, target_url }) => ({ state, description, target_url }));
  }
  const status = (state: string, login = 'nectr-bot', context = 'nectr'): Listed => ({
    context,
    state,
    description: `${state} said`,
    target_url: `https://github.test/${state}`,
    login,
  });

  it("sets back the verdict before Nectr's newest pending (newest first), skipping other contexts and authors", async () => {
    const listed = [status('success', 'ci', 'build'), status('pending'), status('error', 'someone'), status('failure')];
    expect(await restoring(listed)).toEqual([
      { state: 'failure', description: 'failure said', target_url: 'https://github.test/failure' },
    ]);
  });

  it('does nothing when the newest nectr status is a verdict, or no verdict came before the pending', async () => {
    expect(await restoring([status('success'), status('pending'), status('failure')])).toEqual([]);
    expect(await restoring([status('pending'), status('pending')])).toEqual([]);
    expect(await restoring([])).toEqual([]);
  });
});

describe('fitDescription', () => {
  it("keeps a description within GitHub's 140 characters, marking a cut, never halving an emoji", () => {
    expect(fitDescription('No findings')).toBe('No findings');
    const exact = 'x'.repeat(MAX_DESCRIPTION);
    expect(fitDescription(exact)).toBe(exact);
    const cut = fitDescription('y'.repeat(200));
    expect(cut).toHaveLength(MAX_DESCRIPTION);
    expect(cut.endsWith('y…')).toBe(true);
    // An emoji (two UTF-16 halves) at each place a cut could halve it: never halved.
    for (const before of [MAX_DESCRIPTION - 3, MAX_DESCRIPTION - 2, MAX_DESCRIPTION - 1]) {
      const fitted = fitDescription(`${'z'.repeat(before)}🚫 label`);
      expect(fitted.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
      expect(() => encodeURIComponent(fitted)).not.toThrow(); // it throws on half an emoji
      expect(fitted.endsWith('…')).toBe(true);
    }
  });
});
