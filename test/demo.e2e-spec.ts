// `npm run demo` (scripts/demo.ts): the story it tells must stay true as the review changes, and
// the script must start, tell it and stop on its own.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { DEMO_PR, DEMO_REPO, walkthrough, type DemoStep } from '../scripts/demo/walkthrough.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('npm run demo', () => {
  let t: TestApp;
  const lines: string[] = [];
  let steps: DemoStep[];

  beforeAll(async () => {
    t = await createTestApp();
    steps = await walkthrough(t, (line) => lines.push(line));
  });
  afterAll(() => t?.close());

  it('opens a pull request that gets one review with its five findings and a failing status', () => {
    const [opened] = steps;
    expect(opened.event.status).toBe('completed');
    expect(opened.review?.comments.map((c) => `${c.path}:${c.line}`)).toEqual([
      'src/client.ts:2',
      'src/client.ts:3',
      'src/client.ts:5',
      'src/client.ts:7',
      'test/client.spec.ts:2',
    ]);
    expect(opened.status).toMatchObject({ state: 'failure', description: '5 open findings (1 critical, 2 high)' });
    expect(lines).toContain('   Nectr posted a review with 5 inline comments:');
    expect(lines.find((l) => l.startsWith('     src/client.ts:2'))).toMatch(/critical `secrets\/aws-access-key`/);
    expect(lines.join('\n')).not.toContain('<!--');
  });

  it('pushes a fix: no second review, the fixed findings resolved, the status by the three left', () => {
    const [, pushed] = steps;
    expect(pushed.event).toMatchObject({
      status: 'completed',
      review_url: null,
      note: 'No new findings since 1a2b3c4',
    });
    expect(t.github.reviewsOf(DEMO_REPO, DEMO_PR)).toHaveLength(1);
    expect(pushed.resolvedThreads).toBe(2);
    expect(pushed.status).toMatchObject({
      state: 'failure',
      description: 'No new findings since 1a2b3c4; 3 open findings (1 high)',
    });
    expect(lines).toContain('   Review threads resolved (their findings are fixed): 2.');
  });

  it('runs as a script: starts its own Postgres, Redis and fake GitHub, tells the story and stops (--exit)', async () => {
    const child = spawn(process.execPath, ['dist/scripts/demo.js', '--exit'], {
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toContain('Nectr posted a review with 5 inline comments');
    expect(output).toContain('No review posted: No new findings since 1a2b3c4.');
  }, 120_000);
});
