/**
 * The pages that say why something cannot be done: a bad link, a wrong password, a room that is gone (never
 * existed, or deleted while people are in it), a file that is gone, and a file over the server's limit,
 * which is refused before anything is encrypted or sent. Chromium against the real server.
 */
import crypto from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SealroomClient } from '../../sdk/src/node.js';
import { startServer, type TestServer } from '../support/server';
import { ensureWebBuild, launchBrowser, newPerson, screenshot, watchPage, type PageProblems } from './support/browser';
import { enterRoom, joinByLink, waitForMember } from './support/web-flows';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: PageProblems;
const sdkClients: SealroomClient[] = [];

const randomKey = () => crypto.randomBytes(32).toString('base64url');
const sdk = () => {
  const client = new SealroomClient({ baseUrl: server.url });
  sdkClients.push(client);
  return client;
};

beforeAll(async () => {
  ensureWebBuild();
  server = await startServer({ db: 'sqlite', env: { UPLOAD_SIZE_LIMIT: '1' } });
  browser = await launchBrowser();
}, 120_000);

beforeEach(async () => {
  context = await newPerson(browser, server.url);
  page = await context.newPage();
  problems = await watchPage(page);
});

afterEach(async () => {
  await context.close();
  // Failures are shown as pages, never as uncaught errors or CSP violations (the server's 404 answers for
  // rooms and files that are gone are logged by Chromium itself, and expected).
  expect(problems.errors).toEqual([]);
});

afterAll(async () => {
  await Promise.all(sdkClients.map((c) => c.close()));
  await browser?.close();
  await server?.close();
});

async function expectProblemPage(kind: string, title: string): Promise<void> {
  const main = page.locator(`[data-page="problem"][data-problem="${kind}"]`);
  await main.waitFor({ timeout: 15_000 });
  expect(await main.getByRole('heading', { level: 1 }).textContent()).toBe(title);
  // The headline takes the focus, so screen readers announce it.
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
}

describe('bad links', () => {
  it('a mangled room key', async () => {
    await page.goto(`${server.url}/r/abcdefgh#not-a-key`);
    await expectProblemPage('bad-link', 'This link does not work');
    await screenshot(page, '07-bad-link');
  });

  it('an impossible room id', async () => {
    await page.goto(`${server.url}/r/no!such*room#${randomKey()}`);
    await expectProblemPage('bad-link', 'This link does not work');
  });

  it('a link cut before its key, for a room without a password', async () => {
    const { link: invite } = await sdk().createRoom();
    await page.goto(invite.split('#')[0]);
    await expectProblemPage('bad-link', 'This link does not work');
    expect(await page.locator('.lead').textContent()).toContain('missing the room’s key');
  });

  it('a mangled file link', async () => {
    await page.goto(`${server.url}/f/abcdefgh#short`);
    await expectProblemPage('bad-link', 'This link does not work');
  });

  it('what the start page cannot open', async () => {
    await page.goto(`${server.url}/`);
    await page.getByLabel('Invite link or room id').fill('http://example.com/not/a/room');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('neither an invite link nor a room id');
    // The field keeps the focus, marked invalid.
    expect(await page.evaluate(() => [document.activeElement?.id, document.activeElement?.getAttribute('aria-invalid')])).toEqual([
      'join-target',
      'true',
    ]);
  });
});

describe('rooms that are gone', () => {
  it('a room that does not exist', async () => {
    await page.goto(`${server.url}/r/${crypto.randomBytes(16).toString('base64url')}#${randomKey()}`);
    await expectProblemPage('room-gone', 'This room no longer exists');
    await screenshot(page, '08-room-gone');
  });

  it('a room deleted by its owner while you are in it', async () => {
    const owner = sdk();
    const { link: invite } = await owner.createRoom();
    await joinByLink(page, invite, 'Dora');
    const other = await owner.join(invite, { name: 'Eve' });
    await waitForMember(page, 'Eve');
    await other.deleteRoom(); // Eve's client created the room: it holds the owner credential
    await expectProblemPage('room-gone', 'This room no longer exists');
    expect(await page.locator('.lead').textContent()).toBe('The room’s owner deleted it, with all its files.');
  });

  it('a file link whose file is gone says so on load, before any download', async () => {
    await page.goto(`${server.url}/f/${crypto.randomBytes(16).toString('base64url')}#${randomKey()}`);
    await expectProblemPage('file-gone', 'This file is missing or expired');
  });
});

describe('passwords', () => {
  it('says so when the password is wrong, then lets you try again', async () => {
    const { link: invite } = await sdk().createRoom({ password: 'correct horse' });
    await page.goto(invite);
    await page.locator('[data-page="join"]').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('room-password'); // the field to fill
    await enterRoom(page, 'Mallory', 'battery staple');
    await expectProblemPage('wrong-password', 'Wrong password');
    await screenshot(page, '09-wrong-password');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.locator('[data-page="join"]').waitFor();
    expect(await page.getByLabel('Your name').inputValue()).toBe('Mallory'); // kept
    expect(await page.getByLabel('Room password').inputValue()).toBe(''); // cleared
    await enterRoom(page, 'Mallory', 'correct horse');
    await page.locator('[data-page="room"]').waitFor({ timeout: 20_000 });
  });

  it('joins a password-only room from its id and the password, as created in the page', async () => {
    const roomId = `team-${crypto.randomBytes(4).toString('hex')}`;
    await page.goto(`${server.url}/`);
    await page.getByLabel('Password optional').fill('hunter2 but longer');
    await page.getByText('More options').click();
    await page.getByLabel('Room id optional').fill(roomId);
    await page.getByLabel('Room id and password are enough to join').check();
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.locator('[data-page="join"]').waitFor({ timeout: 20_000 });
    expect(page.url()).toBe(`${server.url}/r/${roomId}`); // no secret in the link
    await enterRoom(page, 'Creator'); // the creator is not asked for the password again
    await page.locator('[data-page="room"]').waitFor({ timeout: 20_000 });

    const guest = await context.browser()!.newContext();
    try {
      const guestPage = await guest.newPage();
      await guestPage.goto(`${server.url}/`);
      await guestPage.getByLabel('Invite link or room id').fill(roomId);
      await guestPage.getByRole('button', { name: 'Continue' }).click();
      await guestPage.locator('[data-page="join"]').waitFor();
      await guestPage.getByLabel('Your name').fill('Guest');
      await guestPage.getByLabel('Room password').fill('hunter2 but longer');
      await guestPage.getByRole('button', { name: 'Enter room' }).click();
      await guestPage.locator('[data-page="room"]').waitFor({ timeout: 20_000 });
      await waitForMember(page, 'Guest');
    } finally {
      await guest.close();
    }
  });
});

describe('a file over the limit', () => {
  it('is refused before it is encrypted or sent, with the limit shown', async () => {
    const { link: invite } = await sdk().createRoom();
    await joinByLink(page, invite, 'Uma');
    // The hint fills in once the room page has fetched /config, which can land after the room is shown.
    await page.locator('#composer-hint', { hasText: 'Files up to 1 MB' }).waitFor();
    const uploads: string[] = [];
    page.on('request', (request) => {
      // The web client uploads resumably (tus): a creation POST to /uploads; /upload_file would be a form upload.
      const url = new URL(request.url());
      if (url.pathname.endsWith('/upload_file') || (url.pathname.endsWith('/uploads') && request.method() === 'POST'))
        uploads.push(url.href);
    });
    const big = Buffer.alloc(1024 * 1024 + 1, 7); // 1 MiB + 1 byte: its ciphertext is over the 1 MiB limit
    await page.locator('#file-input').setInputFiles({ name: 'holiday.mov', mimeType: 'video/quicktime', buffer: big });
    const dialog = page.locator('dialog[data-problem="file-too-large"]');
    await dialog.waitFor();
    expect(await dialog.getByRole('heading').textContent()).toBe('This file is too large');
    expect(await dialog.locator('p').textContent()).toBe(
      '“holiday.mov” is 1,048,577 bytes. This server takes files up to 1,048,576 bytes (encrypted). Nothing was encrypted or sent.',
    );
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('OK');
    await screenshot(page, '10-file-too-large');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(uploads).toEqual([]);
    expect(await page.locator('.uploads').count()).toBe(0);

    // Just under the limit goes through.
    const fits = Buffer.alloc(1024 * 1024 - 16 * 17, 9);
    await page.locator('#file-input').setInputFiles({ name: 'fits.bin', mimeType: 'application/octet-stream', buffer: fits });
    await page.locator('.bubble-row.own .file-card', { hasText: 'fits.bin' }).waitFor({ timeout: 20_000 });
    expect(uploads).toHaveLength(1);
  });
});
