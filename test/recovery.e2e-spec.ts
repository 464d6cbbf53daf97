// GitHub never retries a failed delivery by itself: Nectr lists each hook's recent deliveries and
// asks GitHub to redeliver those that failed and that it never stored.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InstallationsService } from '../src/installations/installations.service.js';
import { DeliveryRecoveryService, MAX_PAGES } from '../src/recovery/delivery-recovery.service.js';
import { deliver, EXAMPLE_REPO, example, installRepo } from './support/deliveries.js';
import type { FakeDelivery } from './support/fake-github.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('recovery of missed deliveries', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('redelivers failed deliveries Nectr never stored, within the 3-day window, and nothing else', async () => {
    const hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    const stored = randomUUID();
    await deliver(t, { event: 'push', payload: example('push'), ...hook, deliveryId: stored }).expect(200);
    const ago = (hours: number) => new Date(Date.now() - hours * 3600_000).toISOString();
    let id = 1;
    const delivery = (guid: string, status_code: number, hoursAgo: number): FakeDelivery => ({
      id: id++,
      guid,
      status_code,
      status: status_code === 200 ? 'OK' : 'failed',
      event: 'push',
      action: null,
      delivered_at: ago(hoursAgo),
      redelivery: false,
    });
    const missed = delivery(randomUUID(), 502, 2);
    const timedOut = delivery(randomUUID(), 0, 1);
    const rateLimited = delivery(randomUUID(), 429, 2); // a proxy in front of Nectr throttled it
    const requestTimeout = delivery(randomUUID(), 408, 2); // cut as too slow (WEBHOOK_MIN_KB_PER_SECOND)
    const list = [
      delivery(randomUUID(), 200, 5), // delivered fine
      missed, // 502: never stored -> redeliver
      timedOut, // timed out: never stored -> redeliver
      rateLimited, // 429: never stored -> redeliver
      requestTimeout, // 408: never stored -> redeliver
      delivery(randomUUID(), 400, 2), // Nectr refused it as malformed: not redelivered
      delivery(stored, 0, 3), // timed out at GitHub's end, but Nectr stored it
      delivery(randomUUID(), 403, 4), // Nectr refused it on purpose (bad signature)
      delivery(randomUUID(), 502, 80), // older than GitHub's 3 days
    ];
    const retried = randomUUID();
    list.push(delivery(retried, 503, 6), delivery(retried, 200, 5)); // failed, then redelivered fine
    t.github.repo(EXAMPLE_REPO.fullName).deliveries.set(hook.hookId, list);

    const count = await t.app.get(DeliveryRecoveryService).recover();
    expect(count).toBe(4);
    const asked = t.github
      .calls('POST', /\/hooks\/\d+\/deliveries\/\d+\/attempts$/)
      .map((r) => Number(r.path.split('/')[7]));
    expect(asked.sort()).toEqual([missed.id, timedOut.id, rateLimited.id, requestTimeout.id].sort());
  });

  it("recovers every other repository's deliveries when one hook cannot be read", async () => {
    // Listed first (by name): its hook was deleted on GitHub, so its deliveries answer 404.
    const broken = await installRepo(t, 'Aardvark/gone', 4242);
    t.github.repo('Aardvark/gone').hooks.delete(broken.hookId);
    const hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    const missed: FakeDelivery = {
      id: 9001,
      guid: randomUUID(),
      status_code: 502,
      status: 'failed',
      event: 'push',
      action: null,
      delivered_at: new Date(Date.now() - 60_000).toISOString(), // after the first test's run read this hook
      redelivery: false,
    };
    t.github.repo(EXAMPLE_REPO.fullName).deliveries.set(hook.hookId, [missed]);
    const before = t.github.calls('POST', /\/attempts$/).length;

    expect(await t.app.get(DeliveryRecoveryService).recover()).toBe(1);
    const asked = t.github.calls('POST', /\/attempts$/).slice(before);
    expect(asked.map((r) => r.path)).toEqual([
      `/repos/${EXAMPLE_REPO.fullName}/hooks/${hook.hookId}/deliveries/${missed.id}/attempts`,
    ]);
  });

  it('keeps where it read up to only for hooks still installed, however many come and go', async () => {
    const recovery = t.app.get(DeliveryRecoveryService);
    const tracked = () => recovery['readSince'].size;
    const active = async () => (await t.app.get(InstallationsService).list()).filter((i) => i.hookId).length;
    await recovery.recover();
    const before = tracked();
    for (let i = 0; i < 5; i++) {
      const name = `churn/repo-${i}`;
      await installRepo(t, name, 90_000 + i);
      await recovery.recover();
      await t.app.get(InstallationsService).uninstall('churn', `repo-${i}`);
    }
    await recovery.recover();
    expect(tracked()).toBe(before);
    expect(tracked()).toBeLessThanOrEqual(await active());
  });

  it('reads back to where its last complete run began, and says so when a busy hook outruns its pages', async () => {
    const hook = await installRepo(t, 'octo/busy', 777);
    const recovery = t.app.get(DeliveryRecoveryService);
    let id = 50_000;
    // Oldest first (GitHub lists newest first): one failed delivery 40 hours ago, then `count` fine ones.
    const deliveries = (count: number) => {
      const now = Date.now();
      const failed: FakeDelivery = {
        id: id++,
        guid: randomUUID(),
        status_code: 502,
        status: 'failed',
        event: 'push',
        action: null,
        delivered_at: new Date(now - 40 * 3600_000).toISOString(),
        redelivery: false,
      };
      const fine = Array.from({ length: count }, (_, i) => ({
        ...failed,
        id: id++,
        guid: randomUUID(),
        status_code: 200,
        status: 'OK',
        delivered_at: new Date(now - 39 * 3600_000 + i * 1000).toISOString(),
      }));
      return { failed, list: [failed, ...fine] };
    };
    const listed = () => t.github.calls('GET', new RegExp(`/hooks/${hook.hookId}/deliveries`)).length;

    const some = deliveries(250);
    t.github.repo('octo/busy').deliveries.set(hook.hookId, some.list);
    const redelivered = () => t.github.calls('POST', new RegExp(`/hooks/${hook.hookId}/deliveries/\\d+/attempts$`));
    let before = listed();
    await recovery.recover();
    expect(redelivered().map((r) => r.path.split('/').at(-2))).toEqual([String(some.failed.id)]);
    expect(listed() - before).toBe(3); // the 40 hours: three pages
    // GitHub made the redelivery: it succeeded.
    Object.assign(some.list.at(-1)!, { status_code: 200, status: 'OK' });
    before = listed();
    await recovery.recover();
    expect(redelivered()).toHaveLength(1);
    expect(listed() - before).toBe(1); // since the last run: the newest page says enough

    // More deliveries than a run reads: the oldest failure is out of reach, and the log says so.
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const many = deliveries(MAX_PAGES * 100);
      const other = await installRepo(t, 'octo/busier', 778);
      t.github.repo('octo/busier').deliveries.set(other.hookId, many.list);
      await recovery.recover();
      const asked = t.github.calls('POST', new RegExp(`/hooks/${other.hookId}/deliveries/\\d+/attempts$`));
      expect(asked).toEqual([]);
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Delivery recovery of octo\/busier read its newest 10000 deliveries, back to .*not checked$/,
        ),
      );
    } finally {
      warn.mockRestore();
    }
  });
});
