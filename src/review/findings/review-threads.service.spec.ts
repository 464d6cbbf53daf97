import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { fingerprint, type PostedFinding } from './fingerprint.js';
import { ResolvedFindingsService, type PullRequestKey } from './resolved-findings.service.js';
import { ReviewThreadsClient, type JudgedFindings } from './review-threads.client.js';
import { ReviewThreads } from './review-threads.service.js';

const finding = (text: string, inline = true): PostedFinding => ({
  fingerprint: fingerprint('r', 'a.ts', text),
  ruleId: 'r',
  path: 'a.ts',
  severity: 'high',
  inline,
});

/** ReviewThreads over a GitHub that takes every change and a `resolved_findings` held in memory. */
async function subject(resolved: string[] = []) {
  const rows = new Set(resolved);
  const synced: JudgedFindings[] = [];
  const client: Pick<ReviewThreadsClient, 'sync'> = {
    sync: (_owner, _name, _number, judged) => {
      synced.push(judged);
      return Promise.resolve({ resolved: judged.fixed.length, reopened: judged.back.length });
    },
  };
  const store: Pick<ResolvedFindingsService, 'of' | 'add' | 'remove'> = {
    of: () => Promise.resolve(new Set(rows)),
    add: (_pull, prints) => Promise.resolve(prints.forEach((print) => rows.add(print))),
    remove: (_pull, prints) => Promise.resolve(prints.forEach((print) => rows.delete(print))),
  };
  const moduleRef = await Test.createTestingModule({
    providers: [
      ReviewThreads,
      { provide: ReviewThreadsClient, useValue: client },
      { provide: ResolvedFindingsService, useValue: store },
    ],
  }).compile();
  return { threads: moduleRef.get(ReviewThreads), rows, synced };
}

const pull: PullRequestKey = { installationId: 'i', prNumber: 1 };
const ref = { owner: 'o', repo: 'r', number: 1 };

describe('ReviewThreads', () => {
  it('records no finding listed in a review body: it has no thread to resolve', async () => {
    const { threads, rows, synced } = await subject();
    await threads.sync(pull, ref, { fixed: [finding('listed()', false)], open: [] });
    expect([...rows]).toEqual([]);
    expect(synced).toEqual([]);
  });
});
