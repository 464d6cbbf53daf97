// The invariants a history must keep, checked against what the fake GitHub holds and the model.
import { EXAMPLE_REPO } from '../deliveries.js';
import type { FakeGitHub } from '../fake-github.js';
import type { Run } from './driver.js';
import { expectedState, modelConfig, openFindings } from './model.js';

const REPO = EXAMPLE_REPO.fullName;
const MARKER = /<!-- nectr-finding fp=([0-9a-f]{24}) rule=(\S*) path=(\S*) sev=([a-z]+) -->/g;

interface Marker {
  fingerprint: string;
  ruleId: string;
  path: string;
}

const markers = (text: string): Marker[] =>
  [...text.matchAll(MARKER)].map((m) => ({
    fingerprint: m[1],
    ruleId: decodeURIComponent(m[2]),
    path: decodeURIComponent(m[3]),
  }));

/** Every finding marker Nectr posted on the PR, one per copy posted. */
export function postedMarkers(github: FakeGitHub, number: number): Marker[] {
  return github
    .reviewsOf(REPO, number)
    .flatMap((review) => [...markers(review.body), ...review.comments.flatMap((c) => markers(c.body))]);
}

/**
 * Problems with the history's outcome; empty when every invariant holds. `judged`: a review judged
 * the final head under the config in force, so coverage, threads and status must match the model.
 */
export function problems(github: FakeGitHub, run: Run, judged: boolean): string[] {
  const out: string[] = [];
  const posted = postedMarkers(github, run.number);
  const counts = new Map<string, number>();
  for (const m of posted) counts.set(m.fingerprint, (counts.get(m.fingerprint) ?? 0) + 1);
  for (const [print, n] of counts) if (n > 1) out.push(`fingerprint ${print} posted ${n} times`);
  for (const event of run.events) if (event.status === 'failed') out.push(`event ${event.id} failed: ${event.error}`);
  for (const head of run.heads) {
    const last = github.statusesOf(REPO, head).at(-1);
    if (last && !['success', 'failure'].includes(last.state))
      out.push(`head ${head.slice(0, 7)} left with status ${last.state} (${last.description})`);
  }
  if (run.postedWhilePaused > 0) out.push(`${run.postedWhilePaused} review(s) posted while paused`);
  if (!judged) return out;

  const config = modelConfig(run.config);
  const open = openFindings(run.tree, config);
  const openPrints = new Set(open.map((f) => f.fingerprint));
  // Also a finding an earlier `.nectr.yml` hid: the push after a change is reviewed whole.
  for (const f of open) if (!counts.has(f.fingerprint)) out.push(`open finding ${f.ruleId} in ${f.path} never posted`);
  for (const thread of github.threadsOf(REPO, run.number)) {
    const [m] = markers(thread.comment.body);
    if (!m || config.ignored.has(m.path) || config.off.has(m.ruleId)) continue;
    const isOpen = openPrints.has(m.fingerprint);
    // A finding whose line came back (its fix reverted) has its thread reopened: no person resolves here.
    if (isOpen && thread.isResolved) out.push(`thread of open finding ${m.ruleId} in ${m.path} is resolved`);
    if (!isOpen && !thread.isResolved) out.push(`thread of fixed finding ${m.ruleId} in ${m.path} is not resolved`);
  }
  const status = github.statusesOf(REPO, run.head).at(-1);
  const want = expectedState(open, config);
  if (status?.state !== want)
    out.push(`head ${run.head.slice(0, 7)}: status ${status?.state} (${status?.description}), model says ${want}`);
  return out;
}
