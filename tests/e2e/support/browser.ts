/**
 * Browser tests drive Chromium with playwright-core (tests/support/chromium.ts finds it) against the web client,
 * which tests/support/builds.ts builds when it is missing or older than its sources.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { ROOT } from '../../../src/paths';
import { launchChromium } from '../../support/chromium';

export { ensureWebBuild } from '../../support/builds';

export const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');

export function launchBrowser(): Promise<Browser> {
  return launchChromium();
}

/** A fresh browser profile (cookies, storage, clipboard) for one person. */
export async function newPerson(browser: Browser, baseUrl: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 860 }, ...options });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  return context;
}

/** What went wrong in a page: uncaught errors, console errors, and CSP violations (reported by the page itself). */
export interface PageProblems {
  errors: string[];
  /** Chromium's console lines for HTTP error responses (e.g. a 404 for a room that is gone): expected in some tests. */
  httpErrors: string[];
}

/** Records a page's errors; `problems.errors` stays empty while all is well. */
export async function watchPage(page: Page): Promise<PageProblems> {
  const problems: PageProblems = { errors: [], httpErrors: [] };
  page.on('pageerror', (error) => problems.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (text.startsWith('Failed to load resource: the server responded with a status of')) problems.httpErrors.push(text);
    else problems.errors.push(`console: ${text}`);
  });
  // CSP violations also raise this event in the page: count them even if the console stays quiet.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return problems;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}
