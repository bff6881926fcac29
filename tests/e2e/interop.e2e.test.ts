/**
 * The two clients interoperate through the server, both on the same SDK: a message and a file sent from the
 * `sealroom` CLI (a real child process) are read in the browser, and a message and a file sent from the
 * browser are read by the CLI (`chat` prints them; `get` fetches and decrypts the file from its link).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LiveCli, runCli, spawnCli } from '../cli/cli-process';
import { startServer, type TestServer } from '../support/server';
import { ensureWebBuild, launchBrowser, newPerson, screenshot, watchPage, type PageProblems } from './support/browser';
import { createRoom, downloadedBytes, downloadFromRoom, enterRoom, sendMessage, waitForMember, waitForMessage } from './support/web-flows';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: PageProblems;
let dir: string;
let cli: LiveCli | undefined;

beforeAll(async () => {
  ensureWebBuild();
  server = await startServer({ db: 'sqlite' });
  browser = await launchBrowser();
  context = await newPerson(browser, server.url);
  page = await context.newPage();
  problems = await watchPage(page);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-interop-'));
}, 120_000);

afterAll(async () => {
  cli?.kill();
  await context?.close();
  await browser?.close();
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('CLI and browser exchange messages and files both ways', async () => {
  const invite = await createRoom(page, server.url);
  await enterRoom(page, 'Alice');
  await page.locator('[data-page="room"]').waitFor({ timeout: 20_000 });

  cli = new LiveCli(spawnCli(['chat', invite, '--name', 'terminal-bob']));
  await cli.waitForOutput(/^\* joined \S+ as terminal-bob; here: .*Alice/m, 30_000);
  await waitForMember(page, 'terminal-bob');

  // CLI -> browser: a message and a file.
  cli.write('hello from the terminal ✓');
  await waitForMessage(page, 'hello from the terminal ✓');
  const fromCli = crypto.randomBytes(2 * 65536 + 321);
  const cliFile = path.join(dir, 'from-cli.bin');
  fs.writeFileSync(cliFile, fromCli);
  cli.write(`/file ${cliFile}`);
  const download = await downloadFromRoom(page, 'from-cli.bin');
  expect((await downloadedBytes(download)).equals(fromCli)).toBe(true);

  // Browser -> CLI: a message, and a file whose link the CLI prints and `sealroom get` decrypts.
  await sendMessage(page, 'hello from the browser');
  await cli.waitForOutput(/^\[\d\d:\d\d\] Alice: hello from the browser$/m);
  const fromBrowser = crypto.randomBytes(65536 * 3 + 7);
  await page.locator('#file-input').setInputFiles({ name: 'from-browser.bin', mimeType: 'application/octet-stream', buffer: fromBrowser });
  const [, link] = await cli.waitForOutput(/^\* Alice shared from-browser\.bin .*: (\S+)$/m, 30_000);
  expect(link).toMatch(new RegExp(`^${server.url}/f/[A-Za-z0-9_-]+#[A-Za-z0-9_-]{43}$`));
  const saved = path.join(dir, 'from-browser.copy');
  const got = await runCli(['get', link, '-o', saved]);
  expect(got.code).toBe(0);
  expect(fs.readFileSync(saved).equals(fromBrowser)).toBe(true);
  await screenshot(page, '14-interop-cli');

  cli.write('/quit');
  expect(await cli.exited).toBe(0);
  await page.locator('.notice', { hasText: 'terminal-bob left' }).waitFor({ timeout: 15_000 });
  expect(problems).toEqual({ errors: [], httpErrors: [] });
}, 120_000);
