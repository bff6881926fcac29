/**
 * The web client resumes an upload after a page reload (Chromium, real server): the upload is slowed down
 * (Chromium's network emulation), the page is reloaded once the server holds about half, and the same file
 * picked again goes on from there, says so, and arrives byte for byte.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../support/server';
import { eventually } from '../support/storage';
import { ensureWebBuild, launchBrowser, newPerson } from './support/browser';
import { createRoom, downloadedBytes, downloadFromRoom, enterRoom } from './support/web-flows';

const SIZE = 12 * 1024 * 1024;
let server: TestServer;
let browser: Browser;
let context: BrowserContext;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-web-resume-'));

beforeAll(async () => {
  ensureWebBuild();
  server = await startServer({ db: 'sqlite', env: { UPLOAD_SIZE_LIMIT: '64' } });
  browser = await launchBrowser();
  context = await newPerson(browser, server.url);
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Bytes the server holds of the one resumable upload in progress (0 before it exists). */
function heldBytes(): number {
  const dir = path.join(server.dataDir, 'resumable');
  const data = fs.readdirSync(dir).filter((n) => !n.endsWith('.json'));
  return data.length === 1 ? fs.statSync(path.join(dir, data[0])).size : 0;
}

async function throttleUploads(page: Page, bytesPerSecond: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
}

it('resumes an upload after a page reload and says so', async () => {
  const file = path.join(tmp, 'big.bin');
  const content = crypto.randomBytes(SIZE);
  fs.writeFileSync(file, content);

  const page = await context.newPage();
  await createRoom(page, server.url);
  await enterRoom(page, 'Alice');
  await page.locator('[data-page="room"]').waitFor({ timeout: 20_000 });

  await throttleUploads(page, 2 * 1024 * 1024);
  await page.locator('#file-input').setInputFiles(file);
  await eventually(() => heldBytes() > SIZE * 0.4, 'the server holds 40 % of the upload', 60_000);
  await page.reload();

  // After the reload the page enters the room again (by its remembered session, or by the form).
  await page.locator('[data-page="room"], [data-page="join"]').first().waitFor({ timeout: 20_000 });
  if (await page.locator('[data-page="join"]').isVisible()) await enterRoom(page, 'Alice');
  await page.locator('[data-page="room"]').waitFor({ timeout: 20_000 });
  const held = heldBytes();
  expect(held).toBeGreaterThan(SIZE * 0.4);

  await page.locator('#file-input').setInputFiles(file);
  const notice = page.getByText(/Resuming “big\.bin” at \d+ %/);
  await notice.waitFor({ timeout: 30_000 });
  const percent = Number(/at (\d+) %/.exec((await notice.textContent()) ?? '')?.[1]);
  expect(percent).toBeGreaterThanOrEqual(40);

  await page.locator('.bubble-row.own .file-card', { hasText: 'big.bin' }).waitFor({ timeout: 60_000 });
  const download = await downloadFromRoom(page, 'big.bin');
  const bytes = await downloadedBytes(download);
  expect(bytes.equals(content)).toBe(true);
  expect(fs.readdirSync(path.join(server.dataDir, 'resumable'))).toEqual([]);
}, 180_000);
