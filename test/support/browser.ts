// Debian's chromium driven by playwright-core: no browser download, a fresh temporary profile per
// launch (playwright's own), and no background traffic to anywhere.
import { expect } from '@jest/globals';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const RESULTS_DIR = join(process.cwd(), 'test-results');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Every console error and uncaught page error, for the test to assert there were none it did not expect. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * For afterEach: saves a screenshot named `prefix` plus the test's own name (without its describe's,
 * `suite`), empties `errors`, and returns those no pattern in `expected` allows.
 */
export async function endOfTest(
  page: Page,
  names: { suite: string; prefix: string },
  errors: string[],
  expected: RegExp[],
): Promise<string[]> {
  const test = expect.getState().currentTestName!.replace(`${names.suite} `, '').replace(/\W+/g, '-');
  await screenshot(page, `${names.prefix}-${test}`);
  return errors.splice(0).filter((error) => !expected.some((allowed) => allowed.test(error)));
}
