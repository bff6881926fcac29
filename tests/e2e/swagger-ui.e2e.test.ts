/**
 * Swagger UI at /docs, in Chromium under the site's strict CSP: it loads with no CSP violation or console
 * error, and operations can be tried out from the page: create a room, then check that it exists; untouched
 * defaults change nothing (placeholders are refused, optional fields are not sent); and the description's
 * keys.cjs gives what it takes to upload a file from the page.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
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
  tag = 'Rooms',
): Promise<{ status: string; body: string }> {
  const block = page.locator(`#operations-${tag}-${operation}`);
  await block.locator('.opblock-summary').first().click();
  const tryOut = block.locator('button.try-out__btn', { hasText: 'Try it out' });
  if ((await tryOut.count()) > 0) await tryOut.first().click();
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
  const ownerKey = crypto.generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x as string;
  const created = await execute('CreateRoom', async (block) => {
    await block
      .locator('textarea.body-param__text')
      .fill(JSON.stringify({ protocol: 'sealroom/v2', room_id: roomId, auth, owner_key: ownerKey }));
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

it('refuses the untouched create_room example (a placeholder) without making a room', async () => {
  await page.goto(`${server.url}/docs`);
  await page.locator('#operations-Rooms-CreateRoom').waitFor({ timeout: 20_000 });
  const rooms = async () => Number((await server.sealroom.db.query('SELECT COUNT(*) AS n FROM rooms'))[0].n);
  const before = await rooms();
  const untouched = await execute('CreateRoom', async () => undefined);
  expect(untouched.status).toBe('400');
  expect(JSON.parse(untouched.body)).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: [{ field: 'body.auth' }] } });
  expect(await rooms()).toBe(before);
});

it('uploads a file with the values keys.cjs prints; the optional field left empty means no download limit', async () => {
  const spec = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../spec/openapi.json'), 'utf8')) as { info: { description: string } };
  const script = /```js\n([\s\S]*?)```/.exec(spec.info.description)?.[1] as string;
  const work = fs.mkdtempSync(path.join(server.dataDir, 'keys-'));
  fs.writeFileSync(path.join(work, 'keys.cjs'), script);
  type Keys = {
    create_room_body: { room_id: string; auth: string };
    invite_link: string;
    owner_secret: string;
    upload_proof: string;
    download_key: string;
    download_proof?: string;
  };
  const run = (...args: string[]) =>
    JSON.parse(execFileSync(process.execPath, [path.join(work, 'keys.cjs'), ...args], { encoding: 'utf8' })) as Keys;
  const keys = run(server.url);
  const file = path.join(work, 'note.bin');
  fs.writeFileSync(file, crypto.randomBytes(1234));

  await page.goto(`${server.url}/docs`);
  await page.locator('#operations-Files-UploadFile').waitFor({ timeout: 20_000 });
  const created = await execute('CreateRoom', async (block) => {
    await block.locator('textarea.body-param__text').fill(JSON.stringify(keys.create_room_body));
  });
  expect(created.status).toBe('201');

  const uploaded = await execute(
    'UploadFile',
    async (block) => {
      const field = (name: string) => block.locator(`tr[data-property-name="${name}"]`);
      // What the page offers before anyone types: placeholders for the required fields, nothing optional.
      expect(await field('max_downloads').locator('input:not([type=checkbox])').inputValue()).toBe('');
      expect(await field('room_id').locator('input:not([type=checkbox])').inputValue()).toMatch(/^REPLACE/);
      await field('protocol').locator('input:not([type=checkbox])').fill('sealroom/v2');
      await field('room_id').locator('input:not([type=checkbox])').fill(keys.create_room_body.room_id);
      await field('proof').locator('input:not([type=checkbox])').fill(keys.upload_proof);
      await field('size').locator('input:not([type=checkbox])').fill('1234');
      await field('download_key').locator('input:not([type=checkbox])').fill(keys.download_key);
      await field('file').locator('input[type=file]').setInputFiles(file);
    },
    'Files',
  );
  expect(uploaded.status).toBe('201');
  const stored = JSON.parse(uploaded.body) as { file_id: string; size: number; max_downloads: number | null };
  expect(stored).toMatchObject({ size: 1234, max_downloads: null });
  await screenshot(page, '14-swagger-ui-upload');
  const { download_proof: downloadProof } = run(keys.invite_link, keys.owner_secret, stored.file_id);
  const download = await fetch(`${server.url}/get_file?filename=${stored.file_id}`, { headers: { 'x-download-proof': downloadProof! } });
  expect(Buffer.from(await download.arrayBuffer())).toEqual(fs.readFileSync(file));
  expect(problems.errors).toEqual([]);
});
