/**
 * Swagger UI at /docs, in Chromium under the site's strict CSP: it loads with no CSP violation or console
 * error, and operations can be tried out from the page: create a room, then check that it exists.
 */
import crypto from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../support/server';
import { launchBrowser, screenshot, watchPage, type PageProblems } from './support/browser';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: PageProblems;

beforeAll(async () => {
  server = await startServer({ db: 'sqlite' });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  problems = await watchPage(page);
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

/** Expands an operation, runs it with "Execute", and returns the status and body the page shows. */
async function execute(
  operation: string,
  fill: (block: ReturnType<Page['locator']>) => Promise<void>,
): Promise<{ status: string; body: string }> {
  const block = page.locator(`#operations-Rooms-${operation}`);
  await block.locator('.opblock-summary').first().click();
  const tryOut = block.locator('button.try-out__btn');
  if ((await tryOut.count()) > 0 && (await tryOut.textContent())?.trim() === 'Try it out') await tryOut.click();
  await fill(block);
  await block.locator('button.execute').click();
  const row = block.locator('.live-responses-table .response').first();
  await row.waitFor({ timeout: 15_000 });
  const status = (await row.locator('.response-col_status').textContent())?.trim() ?? '';
  const body = (await row.locator('.response-col_description pre').first().textContent()) ?? '';
  return { status, body };
}

it('loads under the CSP and tries out create_room, then room_exists', async () => {
  const response = await page.goto(`${server.url}/docs`);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await page.locator('#operations-Rooms-CreateRoom').waitFor({ timeout: 20_000 });

  const roomId = `swagger-${crypto.randomBytes(4).toString('hex')}`;
  const auth = crypto.randomBytes(32).toString('base64url');
  const created = await execute('CreateRoom', async (block) => {
    await block.locator('textarea.body-param__text').fill(JSON.stringify({ room_id: roomId, auth }));
  });
  expect(created.status).toBe('201');
  expect(JSON.parse(created.body)).toMatchObject({ room_id: roomId });

  const exists = await execute('RoomExists', async (block) => {
    await block.locator('input[placeholder="room_id"]').fill(roomId);
  });
  expect(exists.status).toBe('200');
  const body = JSON.parse(exists.body) as Record<string, unknown>;
  expect(body).toMatchObject({ room_id: roomId });
  expect(JSON.stringify(body)).not.toContain(auth); // the server never hands a key back
  await screenshot(page, '13-swagger-ui');

  // The server saw the room too.
  const check = await fetch(`${server.url}/room_exists?room_id=${roomId}`);
  expect(check.status).toBe(200);
  expect(problems).toEqual({ errors: [], httpErrors: [] });
});
