import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { endOfTest, launchChromium, screenshot, watchConsole } from './support/browser.js';
import { deliver, example, EXAMPLE_REPO, pullRequestPayload } from './support/deliveries.js';
import { riskyFiles } from './support/pulls.js';
import { API_TOKEN, createTestApp, waitFor, type TestApp } from './support/test-app.js';
import { ensureWebBuilt } from './support/web-build.js';

// One browser session walks through the UI in order, as an operator would: each test starts where
// the previous one left the page.
describe('web UI in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let base: string;
  /** Console errors a test provokes on purpose (the browser logs every 4xx answer). */
  let expected: RegExp[] = [];

  const hook = () => {
    const [found] = t.github.repo(EXAMPLE_REPO.fullName).hooks.values();
    return { hookId: found.id, secret: found.config.secret! };
  };
  const eventStatus = async (id: string) =>
    (await t.db.query<Array<{ status: string }>>(`SELECT status FROM events WHERE id = $1`, [id]))[0]?.status;

  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp();
    t.github.addRepo(EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    const { port } = t.app.getHttpServer().address() as { port: number };
    base = `http://127.0.0.1:${port}`;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    errors = watchConsole(page);
  });
  afterEach(async () => {
    const unexpected = await endOfTest(page, { suite: 'web UI in a real browser', prefix: 'web-ui' }, errors, expected);
    expected = [];
    expect(unexpected).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('refuses a wrong token and says so', async () => {
    expected = [/status of 401/];
    await page.goto(base);
    // REVIEW.md §5: one password field, so the token is never shown on screen.
    expect(await page.getByLabel('API token').getAttribute('type')).toBe('password');
    await page.getByLabel('API token').fill('not-the-api-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong API token' }).waitFor();
    expect(await context.cookies()).toEqual([]);
  });

  it('signs in with the API token into an HttpOnly cookie, keeping the token nowhere else', async () => {
    await page.getByLabel('API token').fill(API_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Repositories' }).waitFor();
    for (const name of ['Repositories', 'Events', 'Overview']) await page.getByRole('link', { name }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'nectr_session', httpOnly: true, sameSite: 'Strict' });
    // Expressions run in the page (as strings: this project's TypeScript has no DOM types).
    const seen = await page.evaluate<{ cookie: string }>(
      `({ cookie: document.cookie, url: location.href, stored: JSON.stringify({ ...localStorage, ...sessionStorage }) })`,
    );
    expect(seen.cookie).not.toContain('nectr_session');
    expect(JSON.stringify(seen)).not.toContain(API_TOKEN);
  });

  it("connects a repository, and shows GitHub's error for one it cannot", async () => {
    expected = [/status of 404/];
    await page.getByLabel('Repository (owner/repo)').fill('octo-org/missing');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /not found/i })
      .waitFor();
    await page.getByLabel('Repository (owner/repo)').fill(EXAMPLE_REPO.fullName);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('heading', { name: EXAMPLE_REPO.fullName }).waitFor();
    await page.getByText('not verified yet').waitFor();
    expect(t.github.repo(EXAMPLE_REPO.fullName).hooks.size).toBe(1);
    // Rotating asks first; Cancel changes nothing, confirming sets a new secret on GitHub.
    const secret = hook().secret;
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(hook().secret).toBe(secret);
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('status').filter({ hasText: 'new secret set' }).waitFor();
    expect(hook().secret).not.toBe(secret);
  });

  it('shows a signed webhook in Events without reloading', async () => {
    await page.getByRole('link', { name: 'Events' }).click();
    await page.getByRole('heading', { name: 'Events' }).waitFor();
    const loads: string[] = [];
    page.on('load', () => loads.push(page.url()));
    const res = await deliver(t, { event: 'ping', payload: example('ping'), ...hook() }).expect(200);
    await page.locator(`tr[data-event="${res.body.event_id}"]`).getByText('ping').waitFor({ timeout: 15_000 });
    expect(loads).toEqual([]);
  });

  it('retries a failed event from its page, and its status changes', async () => {
    // The pull request is not on GitHub yet: the review fails at once (404).
    const number = 77;
    const sha = 'c'.repeat(40);
    const res = await deliver(t, {
      event: 'pull_request',
      payload: pullRequestPayload({ number, sha }),
      ...hook(),
    }).expect(200);
    const id: string = res.body.event_id;
    await waitFor(async () => (await eventStatus(id)) === 'failed');
    await page.locator(`tr[data-event="${id}"] a`).click({ timeout: 15_000 });
    const status = page.getByTestId('event-status');
    await status.getByText('failed').waitFor();
    await page.getByText('GitHub answered 404').waitFor();
    await page.getByText('Payload').click();
    await page.getByText(`"sha": "${sha}"`).waitFor();
    t.github.addPull(EXAMPLE_REPO.fullName, { number, head: { sha, ref: 'feature' }, files: riskyFiles() });
    await page.getByRole('button', { name: 'Retry' }).click();
    await status.getByText('completed').waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: /\/pull\/77/ }).waitFor();
    expect(await eventStatus(id)).toBe('completed');
  });

  it("draws the overview's charts", async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('img', { name: 'Deliveries per minute, by result' }).locator('canvas').waitFor();
    const canvases = page.locator('.chart canvas');
    expect(await canvases.count()).toBe(2);
    // Drawn, not merely placed: some pixel of each canvas is painted.
    const painted = await page.evaluate<boolean[]>(
      `[...document.querySelectorAll('.chart canvas')].map((c) => c.width > 0 && c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v) => v !== 0))`,
    );
    expect(painted).toEqual([true, true]);
    await page.getByText('GitHub requests left').waitFor();
    await page.getByRole('combobox', { name: 'Period' }).selectOption('day');
    await page.waitForResponse((r) => r.url().includes('window=day') && r.ok());
  });

  it('polls one request at a time when the server answers slowly', async () => {
    const list = (url: string | URL) => String(url).includes('/api/v1/events?');
    let inFlight = 0;
    let most = 0;
    let issued = 0;
    const started = (request: Request) => {
      if (!list(request.url())) return;
      issued++;
      most = Math.max(most, ++inFlight);
    };
    const ended = (request: Request) => {
      if (list(request.url())) inFlight--;
    };
    page.on('request', started);
    page.on('requestfinished', ended);
    page.on('requestfailed', ended);
    // Each answer takes longer than the Events page's 3-second poll.
    await page.route(list, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      await route.continue();
    });
    await page.getByRole('link', { name: 'Events' }).click();
    await page.getByRole('heading', { name: 'Events' }).waitFor();
    await waitFor(() => issued >= 2, 30_000);
    await page.unrouteAll({ behavior: 'wait' }); // the held requests go on to the server
    page.off('request', started).off('requestfinished', ended).off('requestfailed', ended);
    expect(most).toBe(1);
  });

  it('is readable at 375 px wide', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    for (const name of ['Repositories', 'Events', 'Overview']) {
      await page.getByRole('link', { name }).click();
      await page.getByRole('heading', { name }).waitFor();
      // Nothing pushes the page sideways (wide tables scroll inside their own box).
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      await screenshot(page, `web-ui-375-${name.toLowerCase()}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('is usable by keyboard: Tab reaches the navigation and Enter follows it', async () => {
    // A fresh load, so focus starts at the top of the page (the brand is text, not a stop).
    await page.goto(`${base}/#/overview`);
    await page.reload();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement?.textContent')).toBe('Repositories');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Repositories' }).waitFor();
  });

  it('signs out, and the old cookie no longer works', async () => {
    const [cookie] = await context.cookies();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    const res = await t.http.get('/api/v1/repos').set('Cookie', `${cookie.name}=${cookie.value}`);
    expect(res.status).toBe(401);
  });
});
