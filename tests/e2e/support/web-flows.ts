/** What a person does in the web client, step by step, as the tests need it. */
import type { Download, Page } from 'playwright-core';

export interface CreateOptions {
  password?: string;
  roomId?: string;
}

/** On the start page: creates a room and lands on its "enter the room" form. Returns the room's address. */
export async function createRoom(page: Page, baseUrl: string, options: CreateOptions = {}): Promise<string> {
  await page.goto(`${baseUrl}/`);
  await page.locator('[data-page="home"]').waitFor();
  if (options.password !== undefined) await page.getByLabel('Password optional').fill(options.password);
  if (options.roomId !== undefined) {
    await page.getByText('More options').click();
    await page.getByLabel('Room id optional').fill(options.roomId);
  }
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.locator('[data-page="join"]').waitFor({ timeout: 20_000 });
  return page.url();
}

/** On a room's "enter the room" form: picks a name (and password) and enters. */
export async function enterRoom(page: Page, name: string, password?: string): Promise<void> {
  await page.locator('[data-page="join"]').waitFor();
  await page.getByLabel('Your name').fill(name);
  if (password !== undefined) await page.getByLabel('Room password').fill(password);
  await page.getByRole('button', { name: 'Enter room' }).click();
}

/** Opens an invite link and enters the room. */
export async function joinByLink(page: Page, invite: string, name: string, password?: string): Promise<void> {
  await page.goto(invite);
  await enterRoom(page, name, password);
  await page.locator('[data-page="room"]').waitFor({ timeout: 20_000 });
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.keyboard.press('Enter');
}

/** Waits for a message bubble with this text (from someone else unless `own`). */
export async function waitForMessage(page: Page, text: string, own = false): Promise<void> {
  await page
    .locator(`.bubble-row${own ? '.own' : ':not(.own)'} .text`, { hasText: text })
    .first()
    .waitFor({ timeout: 15_000 });
}

export async function waitForMember(page: Page, name: string): Promise<void> {
  await page.locator('.members .member-name', { hasText: name }).waitFor({ timeout: 15_000 });
}

/** Clicks a file card's download button and returns the browser's download. */
export async function downloadFromRoom(page: Page, fileName: string): Promise<Download> {
  const card = page.locator('.file-card', { hasText: fileName });
  await card.waitFor({ timeout: 20_000 });
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    card.getByRole('button', { name: `Download ${fileName}` }).click(),
  ]);
  return download;
}

export async function downloadedBytes(download: Download): Promise<Buffer> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
