/**
 * The server restarts (same port, same database) while two people are in a room: both pages show the
 * reconnecting banner while it is down, the banner clears once the SDK has rejoined, and the chat carries on
 * both ways.
 */
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../support/server';
import { ensureWebBuild, launchBrowser, newPerson, screenshot, watchPage, type PageProblems } from './support/browser';
import { createRoom, enterRoom, joinByLink, sendMessage, waitForMember, waitForMessage } from './support/web-flows';

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let dataDir: string;

beforeAll(async () => {
  ensureWebBuild();
  server = await startServer({ db: 'sqlite', keep: true });
  dataDir = server.dataDir;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function person(): Promise<{ page: Page; problems: PageProblems }> {
  const context = await newPerson(browser, server.url);
  contexts.push(context);
  const page = await context.newPage();
  return { page, problems: await watchPage(page) };
}

const banner = (page: Page) => page.locator('[data-banner="reconnecting"]');

it('shows a banner while the server is away and carries on when it is back', async () => {
  const alice = await person();
  const bob = await person();
  const invite = await createRoom(alice.page, server.url);
  await enterRoom(alice.page, 'Alice');
  await alice.page.locator('[data-page="room"]').waitFor({ timeout: 20_000 });
  await joinByLink(bob.page, invite, 'Bob');
  await sendMessage(alice.page, 'before the restart');
  await waitForMessage(bob.page, 'before the restart');
  expect(await banner(alice.page).count()).toBe(0);

  const { port } = server;
  await server.close(); // keeps the database and files: a restart, not a new server
  await banner(alice.page).waitFor({ timeout: 15_000 });
  await banner(bob.page).waitFor({ timeout: 15_000 });
  expect(await banner(alice.page).textContent()).toContain('Reconnecting');
  await screenshot(alice.page, '11-reconnecting');

  server = await startServer({ db: 'sqlite', port, dataDir });
  await banner(alice.page).waitFor({ state: 'detached', timeout: 30_000 });
  await banner(bob.page).waitFor({ state: 'detached', timeout: 30_000 });
  await alice.page.locator('.notice', { hasText: 'Connection restored' }).waitFor();
  await waitForMember(alice.page, 'Bob');
  await waitForMember(bob.page, 'Alice');

  await sendMessage(alice.page, 'after the restart, from Alice');
  await waitForMessage(bob.page, 'after the restart, from Alice');
  await sendMessage(bob.page, 'after the restart, from Bob');
  await waitForMessage(alice.page, 'after the restart, from Bob');
  await screenshot(alice.page, '12-reconnected');

  // No error of the page's own; Chromium itself logs the websocket attempts refused while the server was down.
  const refused = /^console: WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/socket\.io\/.*net::ERR_CONNECTION_REFUSED$/;
  expect(alice.problems.errors.filter((e) => !refused.test(e))).toEqual([]);
  expect(bob.problems.errors.filter((e) => !refused.test(e))).toEqual([]);
}, 90_000);
