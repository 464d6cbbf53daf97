import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { appConfig } from '../config/index.js';
import { GITHUB_INTERACTIVE_CLIENT } from '../github/github.module.js';
import { GithubHooksClient, refusedByGithub } from './github-hooks.client.js';

/** An octokit-like error: GitHub answered `status`; 0, a failed fetch (no answer). */
const failure = (status: number) =>
  status === 0
    ? Object.assign(new Error('fetch failed'), { status: 500 })
    : Object.assign(new Error(`GitHub answered ${status}`), { status, response: { status, headers: {}, data: {} } });

async function failingWith(error: Error) {
  const github = { rest: { repos: { updateWebhook: () => Promise.reject(error) } } };
  const moduleRef = await Test.createTestingModule({
    providers: [
      GithubHooksClient,
      { provide: GITHUB_INTERACTIVE_CLIENT, useValue: github },
      { provide: appConfig.KEY, useValue: { backendUrl: 'http://127.0.0.1:3000' } },
    ],
  }).compile();
  return moduleRef.get(GithubHooksClient);
}

describe('GithubHooksClient.updateHook', () => {
  it('tells a 4xx (GitHub applied nothing) from a 5xx or no answer (it may have applied the change)', async () => {
    for (const [status, refused] of [
      [400, true],
      [404, true],
      [422, true],
      [500, false],
      [502, false],
      [0, false],
    ] as const) {
      const hooks = await failingWith(failure(status));
      const error = await hooks.updateHook('octo', 'hooked', 7, 'secret', ['push']).catch((e: unknown) => e);
      expect([status, refusedByGithub(error)]).toEqual([status, refused]);
    }
    expect(refusedByGithub(failure(422))).toBe(false); // only what updateHook threw
  });
});
