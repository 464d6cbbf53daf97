import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { GITHUB_CLIENT } from '../github/github.module.js';
import { MAX_COMPARE_FILES, PullRequestReader } from './pull-request.reader.js';

const BASE = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);
const file = (filename: string) => ({
  filename,
  status: 'modified',
  additions: 1,
  deletions: 0,
  patch: '@@ -1 +1 @@\n+x',
});

/** An octokit-like error: GitHub answered `status`. */
const answered = (status: number) =>
  Object.assign(new Error(`HTTP ${status}`), { status, response: { status, headers: {}, data: {} } });

/** A reader whose GitHub answers the compare call with `answer` (or fails with it). */
async function readerAnswering(answer: { status: string; files?: unknown[] } | Error) {
  const asked: string[] = [];
  const github = {
    rest: {
      repos: {
        compareCommitsWithBasehead: (params: { basehead: string }) => {
          asked.push(params.basehead);
          return answer instanceof Error ? Promise.reject(answer) : Promise.resolve({ data: answer });
        },
      },
    },
  };
  const moduleRef = await Test.createTestingModule({
    providers: [PullRequestReader, { provide: GITHUB_CLIENT, useValue: github }],
  }).compile();
  return { reader: moduleRef.get(PullRequestReader), asked };
}

describe('PullRequestReader.compare', () => {
  it('gives the range of a push that adds commits, or of none', async () => {
    for (const status of ['ahead', 'identical']) {
      const { reader, asked } = await readerAnswering({ status, files: [file('src/a.ts')] });
      expect(await reader.compare('octo', 'app', BASE, HEAD)).toEqual({ files: [file('src/a.ts')] });
      expect(asked).toEqual([`${BASE}...${HEAD}`]);
    }
  });

  it.each([
    ['diverged', 'diverged from aaaaaaa'],
    ['behind', 'behind from aaaaaaa'],
  ])('reviews the whole PR when the new head is %s (a force-push or a reset)', async (status, full) => {
    const { reader } = await readerAnswering({ status, files: [file('src/a.ts')] });
    expect(await reader.compare('octo', 'app', BASE, HEAD)).toEqual({ full });
  });

  it("reviews the whole PR when the range reaches the compare API's file cap", async () => {
    const files = Array.from({ length: MAX_COMPARE_FILES }, (_, i) => file(`src/${i}.ts`));
    const { reader } = await readerAnswering({ status: 'ahead', files });
    expect(await reader.compare('octo', 'app', BASE, HEAD)).toEqual({ full: 'over 300 files since aaaaaaa' });
  });

  it.each([404, 422])('reviews the whole PR when GitHub no longer knows the base (%i)', async (status) => {
    const { reader } = await readerAnswering(answered(status));
    expect(await reader.compare('octo', 'app', BASE, HEAD)).toEqual({
      full: `aaaaaaa is no longer comparable (${status})`,
    });
  });

  it('lets other failures through, for the job to retry', async () => {
    const { reader } = await readerAnswering(answered(502));
    await expect(reader.compare('octo', 'app', BASE, HEAD)).rejects.toThrow('HTTP 502');
  });
});
