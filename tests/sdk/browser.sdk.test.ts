/**
 * The browser path, in Chromium (playwright-core driving Chromium): the SDK's main entry bundled for the
 * browser with esbuild and run in a page of the Sealroom server's origin (requests are same-origin, as for
 * the web client). A session: create, join twice, a message, and a file
 * shared with the `blob` transport (an encrypted Blob sent with XMLHttpRequest) and downloaded byte for byte.
 */
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startServer, type TestServer } from '../support/server';
import type { BrowserSessionResult } from './browser/browser-session';

let server: TestServer;
let browser: Browser;
let bundle: string;

beforeAll(async () => {
  const built = await build({
    entryPoints: [path.join(__dirname, 'browser', 'browser-session.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    conditions: ['@sealroom/source'],
    write: false,
    logLevel: 'silent',
  });
  bundle = built.outputFiles[0].text;
  server = await startServer({ db: 'sqlite' });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('chats, signs and verifies (Ed25519), agrees on safety codes and round-trips a file byte for byte through XMLHttpRequest and fetch in Chromium', async () => {
  // A page of the Sealroom server's own origin (its /health answer), into which the bundle is injected: the
  // SDK then talks to its server same-origin, as the web client does. (page.route would be simpler, but
  // Chromium's request interception also breaks the websocket handshake.)
  const page = await browser.newPage({ bypassCSP: true });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server.url}/health`);
  await page.addScriptTag({ content: bundle });
  const size = 3 * 1024 * 1024 + 5;
  const result = await page.evaluate(
    (n) => (globalThis as unknown as { sealroomSession(size: number): Promise<BrowserSessionResult> }).sealroomSession(n),
    size,
  );
  expect(errors).toEqual([]);
  expect(result).toEqual({
    message: 'Alice: hello from Chromium',
    uploadPhases: ['encrypting', 'uploading'], // the blob transport: encrypt to a Blob, then XMLHttpRequest
    uploaded: size,
    sizeMatches: true,
    bytesEqual: true,
    downloaded: size,
    ed25519MatchesVectors: true, // WebCrypto Ed25519 works in Chromium, and agrees with node:crypto
    safetyCodesAgree: true,
  });
  await page.close();
}, 60_000);
