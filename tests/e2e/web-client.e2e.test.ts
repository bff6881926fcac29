/**
 * The web client in Chromium, against the real server (temporary SQLite database, free port): two people in
 * two browser profiles create and join a room, chat both ways, and pass files (by the picker and by drag and
 * drop) that arrive byte for byte; a file link opens on its own page; and every HTML page carries the CSP.
 */
import crypto from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../support/server';
import { ensureWebBuild, launchBrowser, newPerson, screenshot, watchPage, type PageProblems } from './support/browser';
import {
  createRoom,
  downloadedBytes,
  downloadFromRoom,
  enterRoom,
  joinByLink,
  sendMessage,
  waitForMember,
  waitForMessage,
} from './support/web-flows';

const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join(';');

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  ensureWebBuild();
  server = await startServer({ db: 'sqlite', env: { UPLOAD_SIZE_LIMIT: '2' } });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
});

async function person(options: Parameters<typeof newPerson>[2] = {}): Promise<{ page: Page; problems: PageProblems }> {
  const context = await newPerson(browser, server.url, options);
  contexts.push(context);
  const page = await context.newPage();
  return { page, problems: await watchPage(page) };
}

describe('serving the client', () => {
  it('answers the pages with the app shell and the strict CSP, and its assets under each page folder', async () => {
    const pages = ['/', '/r/some-room-id', '/f/some-file-id', '/docs/'];
    for (const pathname of pages) {
      const res = await fetch(`${server.url}${pathname}`);
      expect([pathname, res.status, res.headers.get('content-type')]).toEqual([pathname, 200, expect.stringContaining('text/html')]);
      expect([pathname, res.headers.get('content-security-policy')]).toEqual([pathname, STRICT_CSP]);
      const html = await res.text();
      // No inline script or style anywhere: every <script> has a src, no <style> blocks or style attributes.
      expect([pathname, html.match(/<script(?![^>]*\ssrc=)[^>]*>/g)]).toEqual([pathname, null]);
      expect([pathname, /<style|\sstyle=/.test(html)]).toEqual([pathname, false]);
    }
    const shell = await (await fetch(`${server.url}/r/abcdef`)).text();
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(shell)?.[1];
    expect(script).toBeDefined();
    for (const folder of ['', '/r', '/f']) {
      const res = await fetch(`${server.url}${folder}/${script}`);
      expect([folder, res.status, res.headers.get('content-type')]).toEqual([folder, 200, expect.stringContaining('javascript')]);
    }
    // The rendered AsyncAPI page, when built, keeps the same policy except 'unsafe-eval' (asyncapi-docs.ts says why).
    const asyncapi = await fetch(`${server.url}/asyncapi/`);
    if (asyncapi.status === 200)
      expect(asyncapi.headers.get('content-security-policy')).toBe(
        STRICT_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'"),
      );
    // A path that is not a page is an API 404, not the shell.
    const other = await fetch(`${server.url}/r/abcdef/extra`);
    expect(other.status).toBe(404);
  });
});

describe('two people in one room', () => {
  let alice: { page: Page; problems: PageProblems };
  let bob: { page: Page; problems: PageProblems };
  let invite: string;

  beforeAll(async () => {
    alice = await person();
    bob = await person();
  });

  afterAll(() => {
    // Nothing went wrong in either page all along: no uncaught error, no console error, no CSP violation.
    expect(alice.problems).toEqual({ errors: [], httpErrors: [] });
    expect(bob.problems).toEqual({ errors: [], httpErrors: [] });
  });

  it('creates a room, copies the invite link, and both enter', async () => {
    await alice.page.goto(`${server.url}/`);
    await screenshot(alice.page, '01-home');
    const roomUrl = await createRoom(alice.page, server.url);
    expect(roomUrl).toMatch(new RegExp(`^${server.url}/r/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$`));
    // A random name is offered; another one can be asked for.
    const offered = await alice.page.getByLabel('Your name').inputValue();
    expect(offered).toMatch(/^\S+ \S+$/);
    await alice.page.getByRole('button', { name: 'Suggest another' }).click();
    expect(await alice.page.getByLabel('Your name').inputValue()).not.toBe(offered);
    await screenshot(alice.page, '02-enter-room');
    await enterRoom(alice.page, 'Alice');
    await alice.page.locator('[data-page="room"]').waitFor({ timeout: 20_000 });

    invite = await alice.page.getByRole('textbox', { name: 'Invite link' }).inputValue();
    expect(invite).toBe(roomUrl);
    await alice.page.getByRole('button', { name: 'Copy the invite link' }).click();
    expect(await alice.page.evaluate(() => navigator.clipboard.readText())).toBe(invite);

    await joinByLink(bob.page, invite, 'Bob');
    await waitForMember(alice.page, 'Bob');
    await waitForMember(bob.page, 'Alice');
    await alice.page.locator('.notice', { hasText: 'Bob joined' }).waitFor();
  });

  it('chats both ways, newest in view, own messages marked, with timestamps', async () => {
    await sendMessage(alice.page, 'Hello Bob, this is sealed');
    await waitForMessage(bob.page, 'Hello Bob, this is sealed');
    await waitForMessage(alice.page, 'Hello Bob, this is sealed', true);
    await sendMessage(bob.page, 'Hi Alice!\nTwo lines, too.');
    await waitForMessage(alice.page, 'Two lines, too.');
    // Bob's message at Alice's: from Bob, with a time; her own is marked as hers.
    const fromBob = alice.page.locator('.bubble-row:not(.own)', { hasText: 'Two lines' });
    expect(await fromBob.locator('.sender').textContent()).toBe('Bob');
    expect(await fromBob.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await alice.page.locator('.bubble-row.own .sender').first().textContent()).toBe('You');
    expect(await alice.page.locator('.bubble-row.own .bubble.sent').count()).toBe(1);

    // Many messages: the newest stays in view.
    for (let i = 1; i <= 25; i++) await sendMessage(bob.page, `line ${i}`);
    await waitForMessage(alice.page, 'line 25');
    await alice.page.waitForFunction(() => {
      const log = document.querySelector('.timeline') as HTMLElement;
      return log.scrollHeight > log.clientHeight && log.scrollHeight - log.scrollTop - log.clientHeight < 5;
    });
    await screenshot(alice.page, '03-room-chat');
  });

  it('sends a file by the picker; the other downloads and decrypts it byte for byte', async () => {
    const content = crypto.randomBytes(700 * 1024 + 13); // several 64 KiB records and a short last one
    await alice.page.locator('#file-input').setInputFiles({ name: 'report.bin', mimeType: 'application/octet-stream', buffer: content });
    // Alice sees her own file once sent; Bob sees it arrive, with its size and expiry.
    await alice.page.locator('.bubble-row.own .file-card', { hasText: 'report.bin' }).waitFor({ timeout: 30_000 });
    const card = bob.page.locator('.file-card', { hasText: 'report.bin' });
    await card.waitFor({ timeout: 20_000 });
    expect(await card.locator('.file-meta').textContent()).toMatch(/^700 KB · expires at .+\(in (9|10) min\)$/);

    const download = await downloadFromRoom(bob.page, 'report.bin');
    expect(download.suggestedFilename()).toBe('report.bin');
    const bytes = await downloadedBytes(download);
    expect(bytes.length).toBe(content.length);
    expect(bytes.equals(content)).toBe(true);
    await card.locator('.file-status', { hasText: 'Decrypted and saved.' }).waitFor();
    await screenshot(bob.page, '04-room-file');
  });

  it('sends a file dropped on the room', async () => {
    const text = `dropped at ${Date.now()} ✓`;
    await alice.page.evaluate((body) => {
      const data = new DataTransfer();
      data.items.add(new File([body], 'dropped.txt', { type: 'text/plain' }));
      const target = document.querySelector('.timeline') as HTMLElement;
      for (const type of ['dragenter', 'dragover', 'drop'])
        target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }, text);
    const download = await downloadFromRoom(bob.page, 'dropped.txt');
    expect((await downloadedBytes(download)).toString('utf8')).toBe(text);
  });

  it('opens a file link on its own page and decrypts it there', async () => {
    const card = alice.page.locator('.file-card', { hasText: 'report.bin' });
    await card.getByRole('button', { name: 'Copy a link to report.bin' }).click();
    const link = await alice.page.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(new RegExp(`^${server.url}/f/[A-Za-z0-9_-]+#[A-Za-z0-9_-]{43}$`));

    const carol = await person();
    await carol.page.goto(link);
    await carol.page.locator('[data-page="file"]').waitFor();
    await screenshot(carol.page, '05-file-link');
    const [download] = await Promise.all([
      carol.page.waitForEvent('download'),
      carol.page.getByRole('button', { name: 'Download and decrypt' }).click(),
    ]);
    const bytes = await downloadedBytes(download);
    const original = await downloadedBytes(await downloadFromRoom(bob.page, 'report.bin'));
    expect(bytes.equals(original)).toBe(true);
    expect(download.suggestedFilename()).toBe('report.bin'); // the file's own name, from its sealed info
    await carol.page.getByText('Decrypted and saved as “report.bin” (700 KB).').waitFor();
    expect(await carol.page.locator('[data-page="file"] time').count()).toBe(1); // when the server deletes it
    expect(carol.problems).toEqual({ errors: [], httpErrors: [] });
  });

  it('works at phone width', async () => {
    const phone = await person({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    await joinByLink(phone.page, invite, 'Pat on a phone');
    await waitForMember(alice.page, 'Pat on a phone');
    await sendMessage(phone.page, 'Hello from a small screen');
    await waitForMessage(alice.page, 'Hello from a small screen');
    await waitForMessage(bob.page, 'Hello from a small screen');
    // Nothing sticks out sideways.
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(phone.page, '06-room-phone');
    await phone.page.getByRole('button', { name: 'Leave', exact: true }).click();
    await phone.page.getByRole('button', { name: 'Leave the room' }).click(); // after a confirmation
    await phone.page.locator('[data-page="home"]').waitFor();
    await alice.page.locator('.notice', { hasText: 'Pat on a phone left' }).waitFor();
    expect(phone.problems).toEqual({ errors: [], httpErrors: [] });
  });

  it('can be used with the keyboard alone', async () => {
    const page = (await person()).page;
    await page.goto(`${server.url}/`);
    // Tab from the top: skip link, brand, then the create form's fields in order.
    const focusOrder: string[] = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      focusOrder.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim() || ''));
    }
    expect(focusOrder).toEqual(['Skip to content', 'Sealroom', 'create-password', 'More options', 'Create room']);
    await page.keyboard.press('Enter'); // creates a room
    await page.locator('[data-page="join"]').waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('display-name');
    await page.keyboard.press('Enter');
    await page.locator('[data-page="room"]').waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('message-input');
    await page.keyboard.type('typed, never clicked');
    await page.keyboard.press('Enter');
    await waitForMessage(page, 'typed, never clicked', true);
  });
});
