// Every example payload GitHub publishes (@octokit/webhooks-examples, all events and actions),
// delivered the way a repository hook delivers it: each is stored once, or ignored as API.md says,
// never refused with a 5xx; the ones Nectr reviews go through the worker against the fake GitHub.
// New examples are covered when the package is upgraded.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { redactSecrets } from '../src/events/payload-redaction.js';
import { deliver, EXAMPLE_REPO, installRepo, settledEvent } from './support/deliveries.js';
import { riskyFiles } from './support/pulls.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const require = createRequire(import.meta.url);
const groups = require('@octokit/webhooks-examples') as Array<{
  name: string;
  examples: Array<Record<string, unknown>>;
}>;

/** Events a GitHub App receives and a repository hook never does: GitHub sends them as an `integration`'s. */
const APP_ONLY = new Set([
  'installation',
  'installation_repositories',
  'installation_target',
  'github_app_authorization',
  'marketplace_purchase',
  'sponsorship',
]);
const REVIEWED = new Set(['opened', 'synchronize', 'reopened', 'ready_for_review']);

const cases = groups.flatMap((group) =>
  group.examples.map((payload, index) => ({
    name: `${group.name}${typeof payload.action === 'string' ? ` ${payload.action}` : ''} #${index}`,
    event: group.name,
    payload,
  })),
);

describe("GitHub's example payloads", () => {
  let t: TestApp;
  let hook: { hookId: number; secret: string };

  beforeAll(async () => {
    t = await createTestApp();
    hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
  });
  afterAll(() => t?.close());

  it('covers every event Nectr reviews or acts on', () => {
    const names = new Set(groups.map((g) => g.name));
    for (const event of ['pull_request', 'issue_comment', 'ping', 'push', 'installation'])
      expect(names).toContain(event);
    const actions = new Set(cases.filter((c) => c.event === 'pull_request').map((c) => c.payload.action));
    for (const action of REVIEWED) expect(actions).toContain(action);
  });

  it.each(cases)('$name from a repository hook is stored once, with its bytes', async ({ event, payload }) => {
    const action = typeof payload.action === 'string' ? payload.action : undefined;
    const pull = payload.pull_request as { number: number; head: { sha: string }; draft?: boolean } | undefined;
    const reviewed = event === 'pull_request' && action !== undefined && REVIEWED.has(action);
    if (reviewed && pull && !t.github.repo(EXAMPLE_REPO.fullName).pulls.has(pull.number))
      t.github.addPull(EXAMPLE_REPO.fullName, {
        number: pull.number,
        head: { sha: pull.head.sha, ref: 'changes' },
        files: riskyFiles(),
      });

    const res = await deliver(t, { event, payload, ...hook });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'received',
      event_type: action ? `${action}_${event}` : event,
    });
    const { body: stored } = await t.http.get(`/api/v1/events/${res.body.event_id}`).set(t.auth).expect(200);
    expect(stored.payload).toEqual(redactSecrets(payload));
    if (!reviewed) {
      expect(stored.status).toBe('received');
      return;
    }
    // Reviewed one at a time, so each is `received` rather than a duplicate of the one before.
    const settled = await settledEvent(t, res.body.event_id);
    expect(settled).toMatchObject({ status: 'completed', error: null });
  });

  it.each(cases.filter((c) => APP_ONLY.has(c.event)))(
    "$name as a GitHub App's delivery is ignored, nothing stored",
    async ({ event, payload }) => {
      const before = await t.http.get('/api/v1/events?limit=1').set(t.auth).expect(200);
      const res = await deliver(t, { event, payload, ...hook, targetType: 'integration' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ignored' });
      const after = await t.http.get('/api/v1/events?limit=1').set(t.auth).expect(200);
      expect(after.body).toEqual(before.body);
    },
  );
});
