/**
 * Browser tests drive Debian's Chromium with playwright-core (DESIGN.md, toolchain notes): no browser
 * download is possible here. The web client must be built (dist/web); it is built here when missing or
 * older than its sources, so `npx jest tests/e2e` works on its own as well as after `npm run build`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { ROOT, WEB_DIST } from '../../../src/paths';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the web client unless dist/web is newer than everything in src/web (and the SDK it bundles). */
export function ensureWebBuild(): void {
  const index = path.join(WEB_DIST, 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const sources = Math.max(newestMtime(path.join(ROOT, 'src', 'web')), newestMtime(path.join(ROOT, 'sdk', 'src')));
  if (built > sources) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'src/web/vite.config.mts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`browser tests need Debian's chromium at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
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
