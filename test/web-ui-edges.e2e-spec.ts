import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { endOfTest, launchChromium, watchConsole } from './support/browser.js';
import { deliver, example, EXAMPLE_REPO, installRepo, pullRequestPayload } from './support/deliveries.js';
import { riskyFiles } from './support/pulls.js';
import { API_TOKEN, createTestApp, waitFor, type TestApp } from './support/test-app.js';
import { ensureWebBuilt } from './support/web-build.js';

// The web UI off the happy path: several tabs, a server that fails or does not answer, addresses
// typed or kept by the browser, long text from GitHub. Each test signs in a fresh browser context.
describe('web UI edges in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let base: string;
  let hook: { hookId: number; secret: string };
  /** Console errors a test provokes on purpose (the browser logs every 4xx/5xx answer and failed request). */
  let expected: RegExp[] = [];

  /** The page's own time: where `page.clock` has moved it, once installed. */
  const pageNow = () => page.evaluate<number>('Date.now()');

  const eventStatus = async (id: string) =>
    (await t.db.query<Array<{ status: string }>>(`SELECT status FROM events WHERE id = $1`, [id]))[0]?.status;

  /** `count` received events of their own `type`, a second apart, copied from the ping's row. */
  async function seedEvents(type: string, count: number): Promise<void> {
    await t.db.query(
      `INSERT INTO events (installation_id, repo, delivery_id, github_event, action, event_type, status, payload, created_at)
       SELECT p.installation_id, p.repo, 'seeded-' || $1::text || '-' || g, p.github_event, p.action, $1::text,
              'received', p.payload, now() - make_interval(secs => g)
         FROM (SELECT * FROM events WHERE github_event = 'ping' AND delivery_id NOT LIKE 'seeded-%' LIMIT 1) p,
              generate_series(1, $2::int) g`,
      [type, count],
    );
  }

  /** A pull request GitHub does not have yet: its review fails at once (404). */
  async function failedEvent(number: number): Promise<{ id: string; sha: string }> {
    const sha = String(number).padStart(40, 'c');
    const res = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ number, sha }),
      ...hook,
    }).expect(200);
    const id: string = res.body.event_id;
    await waitFor(async () => (await eventStatus(id)) === 'failed');
    return { id, sha };
  }

  async function signIn(target: Page, hash = ''): Promise<void> {
    await target.goto(`${base}/${hash}`);
    await target.getByLabel('API token').fill(API_TOKEN);
    await target.getByRole('button', { name: 'Sign in' }).click();
    await target.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp();
    hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    await deliver(t, { event: 'ping', payload: example('ping'), ...hook }).expect(200);
    const { port } = t.app.getHttpServer().address() as { port: number };
    base = `http://127.0.0.1:${port}`;
    browser = await launchChromium();
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    errors = watchConsole(page);
  });
  afterEach(async () => {
    const names = { suite: 'web UI edges in a real browser', prefix: 'web-ui-edges' };
    const unexpected = await endOfTest(page, names, errors, expected);
    await context.close();
    expected = [];
    expect(unexpected).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renews a CSRF token another tab made stale, so Retry and Sign out still work', async () => {
    expected = [/status of 403/]; // each write's first try, with the old token
    const { id, sha } = await failedEvent(81);
    await signIn(page, `#/events/${id}`);
    await page.getByRole('button', { name: 'Retry' }).waitFor();
    // Another tab signs in again: the browser's one cookie is now a new session with its own CSRF token.
    await context.request.post(`${base}/api/v1/session`, { data: { token: API_TOKEN } });
    t.github.addPull(EXAMPLE_REPO.fullName, { number: 81, head: { sha, ref: 'feature' }, files: riskyFiles() });
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByTestId('event-status').getByText('completed').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('alert').count()).toBe(0);
    // Signing out ends that session on the server too, not only on the page.
    const [cookie] = await context.cookies();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    await t.http.get('/api/v1/repos').set('Cookie', `${cookie.name}=${cookie.value}`).expect(401);
  });

  it('says so when signing out fails, and stays signed in rather than pretend', async () => {
    expected = [/ERR_CONNECTION_REFUSED/];
    await signIn(page);
    await page.route('**/api/v1/session', (route) =>
      route.request().method() === 'DELETE' ? route.abort('connectionrefused') : route.continue(),
    );
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /still signed in/ })
      .waitFor();
    await page.getByRole('heading', { name: 'Repositories' }).waitFor();
    await page.unrouteAll();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
  });

  it('says what failed when the API answers 5xx as the page opens, and carries on once it answers', async () => {
    expected = [/status of 502/];
    await page.clock.install();
    await signIn(page);
    await page.route('**/api/v1/**', (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<html>Bad Gateway</html>' }),
    );
    await page.reload();
    await page.getByRole('alert').filter({ hasText: /502/ }).waitFor();
    await page.unrouteAll();
    await page.clock.pauseAt((await pageNow()) + 15_000);
    await page.getByRole('heading', { name: 'Repositories' }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('says the server did not answer rather than load for ever, and the list refreshes again once it does', async () => {
    expected = [/ERR_/];
    // The page's timers on a clock the test can move on and stop (time passes as usual until then).
    await page.clock.install();
    await signIn(page, '#/events');
    await page.getByRole('heading', { name: 'Events' }).waitFor();
    await page.locator('tbody tr').first().waitFor();
    // From now on the list's requests hang (a proxy holding them, a dead connection).
    const list = (url: URL) => url.pathname === '/api/v1/events';
    let held!: () => void;
    const hanging = new Promise<void>((resolve) => (held = resolve));
    await page.route(list, () => held());
    await page.clock.runFor(3_000); // the list's next refresh
    await hanging;
    // 45 s pass for the page at once, and its clock stops there: the request's time limit is within them.
    await page.clock.pauseAt((await pageNow()) + 45_000);
    await page
      .getByRole('alert')
      .filter({ hasText: /did not answer/ })
      .waitFor();
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    const res = await deliver(t, { event: 'ping', payload: example('ping'), ...hook }).expect(200);
    await page.clock.pauseAt((await pageNow()) + 15_000);
    await page.locator(`tr[data-event="${res.body.event_id}"]`).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('shows the answer for the filters in the address, not a slower one for those before', async () => {
    await signIn(page, '#/events');
    // The answer for status=failed comes late: after the answer for the status picked next.
    let release: (() => void) | undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/v1/events?*', async (route) => {
      if (new URL(route.request().url()).searchParams.get('status') === 'failed') await held;
      await route.continue();
    });
    const status = page.getByRole('combobox', { name: 'Status' });
    await status.selectOption('failed');
    await status.selectOption('received');
    const rows = () => page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-event')));
    const { body } = await t.http.get('/api/v1/events?status=received&limit=25&offset=0').set(t.auth).expect(200);
    const received = (body as Array<{ id: string }>).map((e) => e.id);
    expect(received.length).toBeGreaterThan(0);
    await page.locator(`tr[data-event="${received[0]}"]`).waitFor();
    expect(await rows()).toEqual(received);
    const late = page.waitForResponse((res) => /status=failed/.test(res.url()));
    release!();
    await late;
    await page.waitForTimeout(500); // the page's next poll is 3 s away
    expect(await rows()).toEqual(received);
    expect(await status.inputValue()).toBe('received');
    await page.unrouteAll();
  });

  it('keeps the Events filters and page, and the Overview period, in the address: Back and reload return to them', async () => {
    // 30 failed events and some of other statuses, copied from the ping's row.
    await t.db.query(
      `INSERT INTO events (installation_id, repo, delivery_id, github_event, action, event_type, status, error, payload, created_at)
       SELECT installation_id, repo, 'seeded-' || g, github_event, action, event_type,
              CASE WHEN g <= 30 THEN 'failed' ELSE 'received' END, CASE WHEN g <= 30 THEN 'seeded ' || g END, payload,
              now() - make_interval(secs => g)
         FROM events, generate_series(1, 40) g WHERE github_event = 'ping' AND delivery_id NOT LIKE 'seeded-%' LIMIT 40`,
    );
    await signIn(page, '#/events');
    const status = page.getByRole('combobox', { name: 'Status' });
    const range = page.locator('.pager .muted');
    await status.selectOption('failed');
    await page.getByRole('button', { name: 'Older' }).click();
    await range.getByText(/^26–/).waitFor();
    const older = await page.locator('tbody tr').first().getAttribute('data-event');
    await page.locator('tbody tr a').first().click();
    await page.getByTestId('event-status').waitFor();
    await page.goBack();
    await page.locator(`tr[data-event="${older}"]`).waitFor();
    expect(await status.inputValue()).toBe('failed');
    await page.reload();
    await page.locator(`tr[data-event="${older}"]`).waitFor();
    expect(await status.inputValue()).toBe('failed');
    expect(await range.textContent()).toMatch(/^26–/);
    // The event page's own link back goes to the same list.
    await page.locator('tbody tr a').first().click();
    await page.getByRole('link', { name: '← Events' }).click();
    await page.locator(`tr[data-event="${older}"]`).waitFor();
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('combobox', { name: 'Period' }).selectOption('day');
    await page.reload();
    await page.getByText('GitHub requests left').waitFor();
    expect(await page.getByRole('combobox', { name: 'Period' }).inputValue()).toBe('day');
  });

  it('changes the Events filters in place: Back skips the values picked on the way, not Older or an event', async () => {
    await seedEvents('seeded_history', 30);
    await signIn(page);
    await page.getByRole('link', { name: 'Events' }).click();
    await page.getByRole('heading', { name: 'Events' }).waitFor();
    const hash = () => decodeURIComponent(new URL(page.url()).hash);
    const range = page.locator('.pager .muted');
    await page.getByRole('textbox', { name: 'Type' }).fill('seeded_history');
    await page.keyboard.press('Enter');
    // Arrow keys in the Status select: each key is a change (received, pending, processing, back to received).
    await page.getByRole('combobox', { name: 'Status' }).focus();
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowUp', 'ArrowUp']) await page.keyboard.press(key);
    await waitFor(() => hash() === '#/events?status=received&type=seeded_history');
    await range.getByText('1–25').waitFor();
    await page.getByRole('button', { name: 'Older' }).click();
    await range.getByText('26–30').waitFor();
    await page.locator('tbody tr a').first().click();
    await page.getByTestId('event-status').waitFor();
    await page.goBack();
    await range.getByText('26–30').waitFor();
    await page.goBack();
    await range.getByText('1–25').waitFor();
    expect(hash()).toBe('#/events?status=received&type=seeded_history');
    // Before the filters: the page the Events link was followed from.
    await page.goBack();
    await page.getByRole('heading', { name: 'Repositories' }).waitFor({ timeout: 5_000 });
    expect(hash()).toBe('');
    // The Overview's period likewise.
    await page.getByRole('link', { name: 'Overview' }).click();
    const period = page.getByRole('combobox', { name: 'Period' });
    await period.selectOption('day');
    await period.selectOption('hour');
    await waitFor(() => hash() === '#/overview?window=hour');
    await page.goBack();
    await page.getByRole('heading', { name: 'Repositories' }).waitFor({ timeout: 5_000 });
  });

  it('keeps a filter just picked when the page renders before the address change reaches it', async () => {
    // hashchange comes a task after a filter's change; held back here so that a render lands between.
    await page.addInitScript(`{
      const add = window.addEventListener;
      window.addEventListener = function (type, listener, options) {
        const held = type === 'hashchange' ? (event) => setTimeout(() => listener(event), 1500) : listener;
        return add.call(this, type, held, options);
      };
    }`);
    await signIn(page, '#/events');
    await page.locator('tbody tr').first().waitFor();
    const status = page.getByRole('combobox', { name: 'Status' });
    await status.focus();
    await page.keyboard.press('ArrowDown');
    // The list is asked for again at once (as when the tab is shown again), and its answer rendered.
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/events');
    await page.evaluate("document.dispatchEvent(new Event('visibilitychange'))");
    await answered;
    await page.waitForTimeout(200);
    expect(await status.inputValue()).toBe('received');
    await page.keyboard.press('ArrowDown');
    await waitFor(() => decodeURIComponent(new URL(page.url()).hash) === '#/events?status=pending');
    await page.waitForTimeout(1_600); // the held hashchanges arrive and change nothing
    expect(await status.inputValue()).toBe('pending');
  });

  it('disables Older on an exactly full last page instead of leading to an empty one', async () => {
    await seedEvents('seeded_full_pages', 50); // two pages of 25
    await signIn(page, '#/events?type=seeded_full_pages');
    const range = page.locator('.pager .muted');
    const older = page.getByRole('button', { name: 'Older' });
    await range.getByText('1–25').waitFor();
    expect(await older.isEnabled()).toBe(true);
    await older.click();
    await range.getByText('26–50').waitFor();
    expect(await page.locator('tbody tr').count()).toBe(25);
    expect(await older.isDisabled()).toBe(true);
  });

  it('keeps the keyboard focus on Older and Newer when they become unavailable under it', async () => {
    await seedEvents('seeded_focus_pages', 50); // two pages of 25
    await signIn(page, '#/events?type=seeded_focus_pages');
    const range = page.locator('.pager .muted');
    const focused = () => page.evaluate<string>("document.activeElement?.textContent ?? ''");
    await range.getByText('1–25').waitFor();
    await page.getByRole('button', { name: 'Older' }).focus();
    await page.keyboard.press('Enter');
    await range.getByText('26–50').waitFor();
    expect(await page.getByRole('button', { name: 'Older' }).getAttribute('aria-disabled')).toBe('true');
    expect(await focused()).toBe('Older');
    // Unavailable, it does nothing; Shift+Tab reaches Newer, which leads back to the first page.
    const hash = page.url();
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    expect(page.url()).toBe(hash);
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('Newer');
    await page.keyboard.press('Enter');
    await range.getByText('1–25').waitFor();
    expect(await focused()).toBe('Newer');
  });

  it('stops polling the Events list while the tab is hidden, and refreshes it at once when shown', async () => {
    await page.clock.install();
    await signIn(page, '#/events');
    await page.locator('tbody tr').first().waitFor();
    const asked: number[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/v1/')) asked.push(Date.now());
    });
    // What the browser does when another tab comes to the front (a headless page is always visible).
    const visibility = (state: 'hidden' | 'visible') =>
      page.evaluate(`Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${state}' });
        document.dispatchEvent(new Event('visibilitychange'))`);
    await visibility('hidden');
    await page.waitForTimeout(1_000); // a request already on its way
    asked.length = 0;
    const res = await deliver(t, { event: 'ping', payload: example('ping'), ...hook }).expect(200);
    await page.clock.runFor(7_000); // two polls and more at the Events page's 3 s
    await page.waitForTimeout(500); // for a request those timers sent to reach the test
    expect(asked).toEqual([]);
    const shownAt = Date.now();
    await visibility('visible');
    await page.locator(`tr[data-event="${res.body.event_id}"]`).waitFor({ timeout: 5_000 });
    expect(asked.length).toBeGreaterThan(0);
    expect(asked[0] - shownAt).toBeLessThan(2_000); // not the next poll, up to 3 s later
  });

  it("asks for the Repository filter's options once, not with every refresh of the Events list", async () => {
    const asked: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path === '/api/v1/events' || path === '/api/v1/repos') asked.push(path);
    });
    await page.clock.install();
    await signIn(page, '#/events');
    await page.locator('tbody tr').first().waitFor();
    // Two refreshes at the Events page's 3 s, each waited for.
    for (let refresh = 0; refresh < 2; refresh++) {
      const answered = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/v1/events');
      await page.clock.runFor(3_000);
      await answered;
    }
    await page.waitForTimeout(500); // for a request those refreshes sent to reach the test
    expect(asked.filter((path) => path === '/api/v1/events').length).toBeGreaterThanOrEqual(3);
    expect(asked.filter((path) => path === '/api/v1/repos')).toHaveLength(1);
  });

  it('shows a page, not a blank one, for an address with a broken escape', async () => {
    expected = [/status of 404/];
    await signIn(page);
    await page.goto(`${base}/#/events/%E0%A4%A`);
    await page.reload();
    await page.getByRole('heading', { name: 'Event' }).waitFor();
    await page.getByRole('link', { name: 'Events' }).first().waitFor();
  });

  it('asks for owner/repo when given a URL or more than two parts, instead of sending it elsewhere', async () => {
    await signIn(page);
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') sent.push(new URL(request.url()).pathname);
    });
    for (const typed of [
      'https://github.com/Codertocat/Hello-World',
      'Codertocat/Hello-World/pulls',
      '../..',
      'owner/..',
    ]) {
      await page.getByLabel('Repository (owner/repo)').fill(typed);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await page.getByRole('alert').filter({ hasText: 'owner/repo' }).waitFor();
    }
    expect(sent).toEqual([]);
  });

  it('wraps a long error in the Overview rather than widen the page', async () => {
    const { id } = await failedEvent(82);
    await t.db.query(`UPDATE events SET error = $2 WHERE id = $1`, [id, `GitHub answered 422: ${'x'.repeat(2000)}`]);
    await signIn(page, '#/overview');
    await page.getByRole('link', { name: /#82/ }).waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
  });

  it("names each card's buttons after its repository, so two cards' buttons can be told apart", async () => {
    const other = 'octo-org/second-repo';
    await installRepo(t, other);
    try {
      await signIn(page);
      await page.getByRole('heading', { name: other }).waitFor();
      for (const repo of [EXAMPLE_REPO.fullName, other]) {
        const card = page.locator(`li[data-repo="${repo}"]`);
        for (const [name, text] of [
          [`Configuration of ${repo}`, 'Configuration'],
          [`Rotate secret of ${repo}`, 'Rotate secret'],
          [`Disconnect ${repo}`, 'Disconnect'],
        ]) {
          // One button on the whole page has this name, in this card, and its visible text is unchanged.
          const button = page.getByRole('button', { name, exact: true });
          expect(await button.count()).toBe(1);
          expect(await card.getByRole('button', { name, exact: true }).textContent()).toBe(text);
        }
      }
      await page.getByRole('button', { name: `Disconnect ${other}`, exact: true }).click();
      await page.getByRole('dialog').getByText(`Disconnect ${other}?`).waitFor();
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    } finally {
      await t.http.delete(`/api/v1/repos/${other}/install`).set(t.auth).expect(204);
    }
  });

  it("shows each card's configuration when two are asked for at once", async () => {
    const other = 'octo-org/third-repo';
    await installRepo(t, other);
    try {
      await signIn(page);
      await page.getByRole('heading', { name: other }).waitFor();
      // The first card's answer comes last.
      await page.route('**/config', async (route) => {
        if (route.request().url().includes(EXAMPLE_REPO.fullName)) await new Promise((r) => setTimeout(r, 1_000));
        await route.continue();
      });
      await page.getByRole('button', { name: `Configuration of ${EXAMPLE_REPO.fullName}` }).click();
      await page.getByRole('button', { name: `Configuration of ${other}` }).click();
      await page.waitForResponse((res) => res.url().includes(`${EXAMPLE_REPO.fullName}/config`));
      for (const repo of [EXAMPLE_REPO.fullName, other])
        await page.locator(`li[data-repo="${repo}"] pre.config`).getByText(`"repo": "${repo}"`).waitFor();
      await page.unrouteAll();
    } finally {
      await t.http.delete(`/api/v1/repos/${other}/install`).set(t.auth).expect(204);
    }
  });

  it('does not disconnect on a second Enter: the confirmation opens on Cancel', async () => {
    await signIn(page);
    const disconnect = page.getByRole('button', { name: 'Disconnect' });
    await disconnect.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.waitForTimeout(500);
    expect(t.github.repo(EXAMPLE_REPO.fullName).hooks.size).toBe(1);
    await page.getByRole('heading', { name: EXAMPLE_REPO.fullName }).waitFor();
  });

  it('shows the error alone, not "Loading…" beside it, when a list cannot be loaded', async () => {
    expected = [/status of 500/];
    await signIn(page);
    await page.route(
      (url) => ['/api/v1/events', '/api/v1/stats/repos'].includes(url.pathname),
      (route) => route.fulfill({ status: 500, json: { statusCode: 500, message: 'Internal server error' } }),
    );
    for (const [hash, heading] of [
      ['#/events', 'Events'],
      ['#/repositories', 'Repositories'],
    ]) {
      await page.goto(`${base}/${hash}`);
      await page.reload();
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await page.getByRole('alert').filter({ hasText: 'Internal server error' }).waitFor();
      expect(await page.getByText('Loading…').count()).toBe(0);
    }
  });

  it('lists the events when only the repositories for the filter cannot be loaded', async () => {
    expected = [/status of 500/];
    await page.route(
      (url) => url.pathname === '/api/v1/repos',
      (route) => route.fulfill({ status: 500, json: { statusCode: 500, message: 'Internal server error' } }),
    );
    await signIn(page, '#/events');
    await page.getByRole('alert').filter({ hasText: 'Internal server error' }).waitFor();
    await page.locator('tbody tr').first().waitFor({ timeout: 5_000 });
  });

  it("keeps an action's error on the page until the next action, through the page's own refreshes", async () => {
    expected = [/status of 502/];
    const { id } = await failedEvent(83);
    await page.clock.install();
    await signIn(page);
    const refused = { statusCode: 502, message: 'GitHub answered 502 (Bad Gateway): try again later' };
    await page.route('**/rotate-secret', (route) => route.fulfill({ status: 502, json: refused }));
    await page.route('**/retry', (route) => route.fulfill({ status: 502, json: refused }));
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'try again later' });
    await alert.waitFor();
    // The Repositories page refreshes every 10 s, an event's page every 2 s.
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/repos') && r.ok(), { timeout: 15_000 });
    await page.clock.runFor(10_000);
    await refreshed;
    await page.waitForTimeout(500);
    expect(await alert.count()).toBe(1);
    await page.goto(`${base}/#/events/${id}`);
    await page.getByRole('button', { name: 'Retry' }).click();
    await alert.waitFor();
    for (let refresh = 0; refresh < 2; refresh++) {
      const answered = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/events/${id}`);
      await page.clock.runFor(2_000);
      await answered;
    }
    await page.waitForTimeout(500);
    expect(await alert.count()).toBe(1);
  });

  it('lists the repositories, with their actions, when only their event counts cannot be loaded', async () => {
    expected = [/status of 500/];
    await page.route('**/api/v1/stats/repos', (route) =>
      route.fulfill({ status: 500, json: { statusCode: 500, message: 'Internal server error' } }),
    );
    await signIn(page);
    await page.getByRole('alert').filter({ hasText: 'Internal server error' }).waitFor();
    await page.getByRole('heading', { name: EXAMPLE_REPO.fullName }).waitFor();
    await page.getByRole('button', { name: 'Rotate secret' }).waitFor();
  });

  it('stops asking for an event once it can no longer change, rather than fetch its payload every 2 s', async () => {
    const [ping] = await t.db.query<Array<{ id: string }>>(
      `SELECT id FROM events WHERE github_event = 'ping' AND delivery_id NOT LIKE 'seeded-%' LIMIT 1`,
    );
    const fetched: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === `/api/v1/events/${ping.id}`) fetched.push(request.url());
    });
    await page.clock.install();
    await signIn(page, `#/events/${ping.id}`);
    await page.getByTestId('event-status').getByText('received').waitFor();
    await page.clock.runFor(5_000);
    await page.waitForTimeout(500); // for a request those 5 s sent to reach the test
    expect(fetched).toHaveLength(1);
  });

  it('stops asking for an event once the API no longer has it (deleted after retention)', async () => {
    expected = [/status of 404/];
    const { id } = await failedEvent(84); // failed: its page asks every 2 s, as a Retry elsewhere may change it
    const fetched: number[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === `/api/v1/events/${id}`) fetched.push(Date.now());
    });
    await page.clock.install();
    await signIn(page, `#/events/${id}`);
    await page.getByTestId('event-status').getByText('failed').waitFor();
    await t.db.query(`DELETE FROM events WHERE id = $1`, [id]);
    await page.getByRole('alert').filter({ hasText: 'Event not found' }).waitFor({ timeout: 5_000 });
    const seen = fetched.length;
    await page.clock.runFor(5_000);
    await page.waitForTimeout(500); // for a request those 5 s sent to reach the test
    expect(fetched).toHaveLength(seen);
  });
});
