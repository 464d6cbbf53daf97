// What `npm run demo` shows: a repository connected, a pull request opened and reviewed, then a
// push that fixes two findings, told through the same API and webhook a real GitHub would use.
import {
  deliver,
  EXAMPLE_REPO,
  installRepo,
  pullRequestPayload,
  settledEvent,
  type SettledEvent,
} from '../../test/support/deliveries.js';
import type { FakeReview, FakeStatus } from '../../test/support/fake-github.js';
import { edited } from '../../test/support/patches.js';
import { AWS_KEY, riskyFiles } from '../../test/support/pulls.js';
import type { TestApp } from '../../test/support/test-app.js';

export const DEMO_REPO = EXAMPLE_REPO.fullName;
export const DEMO_PR = 1;
const HEADS = ['1a2b3c4'.padEnd(40, '0'), '5d6e7f8'.padEnd(40, '0')];

export interface DemoStep {
  event: SettledEvent;
  review: FakeReview | undefined;
  status: FakeStatus | undefined;
  resolvedThreads: number;
}

/** A comment's text as a reader sees it: without Nectr's hidden markers, on one line. */
function visible(body: string): string {
  return body
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\*\*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Runs the story on a started app (its fake GitHub included), telling it through `say`. */
export async function walkthrough(t: TestApp, say: (line: string) => void): Promise<DemoStep[]> {
  const hook = await installRepo(t, DEMO_REPO, EXAMPLE_REPO.id);
  say(`1. Connected ${DEMO_REPO}: POST /api/v1/repos/${DEMO_REPO}/install created hook ${hook.hookId} on GitHub,`);
  say('   with a generated secret that Nectr keeps encrypted.');

  const steps: DemoStep[] = [];
  const reviewed = async (head: string, action: string, minute: number): Promise<DemoStep> => {
    const updatedAt = `2026-11-30T10:0${minute}:00Z`;
    const payload = pullRequestPayload({ number: DEMO_PR, sha: head, action, updatedAt });
    const res = await deliver(t, { event: 'pull_request', payload, ...hook });
    if (res.status !== 200) throw new Error(`the delivery was refused: ${res.status} ${JSON.stringify(res.body)}`);
    const event = await settledEvent(t, (res.body as { event_id: string }).event_id, 60_000);
    const reviews = t.github.reviewsOf(DEMO_REPO, DEMO_PR);
    const step: DemoStep = {
      event,
      review: event.review_url ? reviews.at(-1) : undefined,
      status: t.github.statusesOf(DEMO_REPO, head).at(-1),
      resolvedThreads: t.github.threadsOf(DEMO_REPO, DEMO_PR).filter((th) => th.isResolved).length,
    };
    steps.push(step);
    return step;
  };
  const tell = (step: DemoStep) => {
    say(`   Event ${step.event.id}: ${step.event.status}.`);
    if (step.review) {
      say(`   Nectr posted a review with ${step.review.comments.length} inline comments:`);
      for (const c of step.review.comments) say(`     ${c.path}:${c.line}  ${visible(c.body).slice(0, 100)}…`);
    } else {
      say(`   No review posted: ${step.event.note ?? 'nothing to say'}.`);
    }
    if (step.resolvedThreads) say(`   Review threads resolved (their findings are fixed): ${step.resolvedThreads}.`);
    if (step.status) say(`   Commit status "nectr": ${step.status.state}, "${step.status.description ?? ''}".`);
  };

  const files = riskyFiles();
  t.github.addPull(DEMO_REPO, {
    number: DEMO_PR,
    title: 'Call the billing API',
    head: { sha: HEADS[0], ref: 'billing-client' },
    files,
  });
  say(`2. Pull request #${DEMO_PR} opened (${files.map((f) => f.filename).join(', ')}); GitHub delivers pull_request.`);
  tell(await reviewed(HEADS[0], 'opened', 1));

  // The push removes the hard-coded key and the conflict marker; the other findings stay.
  const [client, spec] = files;
  const kept = client.patch!.split('\n').filter((l) => !l.includes(AWS_KEY) && !l.includes('<<<<<<<'));
  const fixed = { ...client, additions: client.additions! - 2, patch: kept.join('\n').replace('+1,8 @@', '+1,6 @@') };
  t.github.push(DEMO_REPO, DEMO_PR, {
    sha: HEADS[1],
    files: [fixed, spec],
    range: [
      edited('src/client.ts', `const accessKeyId = "${AWS_KEY}";`, ['import https from "node:https";']),
      edited('src/client.ts', '<<<<<<< HEAD', ['}']),
    ],
  });
  say(`3. A push to #${DEMO_PR} removes the hard-coded key and the conflict marker.`);
  tell(await reviewed(HEADS[1], 'synchronize', 2));
  return steps;
}
