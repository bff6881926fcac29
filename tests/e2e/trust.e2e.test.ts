/**
 * Protocol v2 in the web client, in Chromium against the real server, at desktop (1280×800) and phone (390×844)
 * sizes: two browsers see the same safety code, a verified mark survives a reload (localStorage), a remembered name
 * back with a new key is tagged "key changed" with a notice, two people of one name are tagged "same name", only the
 * creator's browser has Delete room (and deleting closes the room for everyone), and a file link describes its file
 * (name, size, downloads left) before downloading, saves under its name, and says on load when the file is gone.
 * Screenshots: test-output/screenshots/trust-<viewport>-*.png.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { SealroomClient, generateSigningKey, safetyCode, signingKeyFromSeed, type SigningKey } from '../../sdk/src/node.js';
import { startServer, type TestServer } from '../support/server';
import { ensureWebBuild, launchBrowser, newPerson, screenshot, watchPage, type PageProblems } from './support/browser';
import { createRoom, downloadedBytes, enterRoom, joinByLink, waitForMember } from './support/web-flows';

jest.setTimeout(90_000);

const VIEWPORTS: Array<[string, BrowserContextOptions]> = [
  ['desktop', { viewport: { width: 1280, height: 800 } }],
  ['phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }],
];

let server: TestServer;
let browser: Browser;
const sdkClients: SealroomClient[] = [];

beforeAll(async () => {
  ensureWebBuild();
  server = await startServer({ db: 'sqlite' });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await Promise.all(sdkClients.map((c) => c.close()));
  await browser?.close();
  await server?.close();
});

const sdk = () => {
  const client = new SealroomClient({ baseUrl: server.url });
  sdkClients.push(client);
  return client;
};

interface Person {
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
}

/** Opens the member list where it is folded (phones). */
async function openMembers(page: Page): Promise<void> {
  const details = page.locator('details.members');
  if (!(await details.evaluate((el) => (el as HTMLDetailsElement).open))) await details.locator('summary').click();
}

/** The member list's entries for a name. */
const memberItems = (page: Page, name: string) => page.locator(`.members li[data-member="${name}"]`);

/** Opens the Verify dialog for `name` and returns the safety code it shows. */
async function openVerify(page: Page, name: string): Promise<string> {
  await openMembers(page);
  await memberItems(page, name)
    .getByRole('button', { name: new RegExp(`^(Verify|Code) ${name}$`) })
    .click();
  const code = page.locator('dialog.verify-dialog .safety-code:not([data-safety-code=""])');
  await code.waitFor({ timeout: 10_000 });
  return (await code.getAttribute('data-safety-code'))!;
}

describe.each(VIEWPORTS)('at %s size', (size, viewport) => {
  let alice: Person;
  let bob: Person;
  let invite: string;
  let roomId: string;

  const person = async (): Promise<Person> => {
    const context = await newPerson(browser, server.url, viewport);
    const page = await context.newPage();
    const problems = await watchPage(page);
    page.on('dialog', (dialog) => void dialog.accept()); // the reload warning
    return { context, page, problems };
  };
  const shot = (who: Person, name: string) => screenshot(who.page, `trust-${size}-${name}`);

  beforeAll(async () => {
    alice = await person();
    bob = await person();
  });

  afterAll(async () => {
    for (const who of [alice, bob]) {
      await who?.context.close();
      expect(who?.problems.errors ?? []).toEqual([]);
    }
  });

  it('two browsers agree on the safety code; "Mark as verified" persists across a reload', async () => {
    invite = await createRoom(alice.page, server.url);
    roomId = new URL(invite).pathname.split('/').pop()!;
    await enterRoom(alice.page, 'Alice');
    await alice.page.locator('[data-page="room"]').waitFor({ timeout: 20_000 });
    await joinByLink(bob.page, invite, 'Bob');
    await openMembers(alice.page);
    await openMembers(bob.page);
    await waitForMember(alice.page, 'Bob');
    await waitForMember(bob.page, 'Alice');
    expect(await memberItems(alice.page, 'Bob').getAttribute('data-state')).toBe('unverified');

    const aliceSees = await openVerify(alice.page, 'Bob');
    const bobSees = await openVerify(bob.page, 'Alice');
    expect(aliceSees).toMatch(/^\d{5}( \d{5}){5}$/);
    expect(bobSees).toBe(aliceSees);
    // The code is the protocol's: computed here from the identity keys the browsers keep in localStorage.
    const identity = async (who: Person) =>
      (await signingKeyFromSeed((await who.page.evaluate((id) => localStorage.getItem(`sealroom:identity:${id}`), roomId))!)).publicKey;
    expect(await safetyCode(roomId, await identity(alice), await identity(bob))).toBe(aliceSees);
    await shot(alice, 'safety-code');

    await alice.page.getByRole('button', { name: 'Mark as verified' }).click();
    await alice.page.locator('dialog.verify-dialog [data-verified="true"]').waitFor();
    await alice.page.getByRole('button', { name: 'Done' }).click();
    await bob.page.getByRole('button', { name: 'Not now' }).click();
    await memberItems(alice.page, 'Bob').locator('[data-tag="verified"]').waitFor();
    expect(await memberItems(bob.page, 'Alice').locator('[data-tag="verified"]').count()).toBe(0);

    // Kept in this browser, per room: the trust record, this browser's identity key and (the creator's) owner credential.
    const stored = (who: Person) =>
      who.page.evaluate((id) => ['trust', 'identity', 'owner'].map((kind) => localStorage.getItem(`sealroom:${kind}:${id}`)), roomId);
    const [trust, aliceIdentity, owner] = await stored(alice);
    expect(JSON.parse(trust!)).toEqual({ Bob: expect.stringContaining('"verified":true') });
    expect(aliceIdentity).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(owner).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stored(bob))[2]).toBeNull();

    await alice.page.reload();
    await alice.page.locator('[data-page="room"]').waitFor({ timeout: 20_000 });
    await openMembers(alice.page);
    await waitForMember(alice.page, 'Bob');
    await memberItems(alice.page, 'Bob').locator('[data-tag="verified"]').waitFor();
    expect(await memberItems(alice.page, 'Bob').getAttribute('data-state')).toBe('verified');
    // The same identity after the reload: Bob does not see Alice's key change.
    expect(await bob.page.locator('[data-notice="key-changed"]').count()).toBe(0);
    await shot(alice, 'verified-after-reload');
  });

  it('a remembered name back with a new key is tagged "key changed" with a notice; two of one name get "same name"', async () => {
    const impostor = await sdk().join(invite, { name: 'Bob' }); // a fresh identity key under a name Alice knows
    await alice.page.locator('[data-notice="key-changed"]').waitFor({ timeout: 15_000 });
    expect(await alice.page.locator('[data-notice="key-changed"]').textContent()).toContain('Bob’s identity key changed');
    await openMembers(alice.page);
    const bobs = memberItems(alice.page, 'Bob');
    await alice.page.locator(`.members li[data-member="Bob"] [data-tag="key-changed"]`).waitFor();
    expect(await bobs.count()).toBe(2);
    expect(await alice.page.locator('.members li[data-member="Bob"] [data-tag="same-name"]').count()).toBe(2);
    await shot(alice, 'key-changed');

    // Bob's browser sees two of his name too.
    await openMembers(bob.page);
    await bob.page.locator('.members li[data-member="Bob"] [data-tag="same-name"]').first().waitFor();
    await shot(bob, 'same-name');

    // A message signed with a key other than the one in its sender's profile (a forgery the server could attempt):
    // not shown, and a notice says so.
    (impostor as unknown as { identity: SigningKey }).identity = await generateSigningKey();
    await impostor.send('forged words');
    await alice.page.locator('[data-notice="dropped"]').waitFor({ timeout: 15_000 });
    expect(await alice.page.locator('[data-notice="dropped"]').textContent()).toContain(
      'A message claiming to be from Bob failed its signature check and was not shown',
    );
    expect(await alice.page.getByText('forged words').count()).toBe(0);
    await shot(alice, 'dropped-forgery');
    await impostor.leave();
    await alice.page.locator('.members li[data-member="Bob"] [data-tag="same-name"]').first().waitFor({ state: 'detached' });
  });

  it('only the owner sees Delete room; deleting asks first, then closes the room for everyone', async () => {
    expect(await bob.page.getByRole('button', { name: 'Delete room' }).count()).toBe(0);
    expect(await bob.page.getByRole('button', { name: 'Leave', exact: true }).count()).toBe(1);
    await alice.page.getByRole('button', { name: 'Delete room' }).click();
    const confirm = alice.page.getByRole('alertdialog');
    expect(await confirm.textContent()).toContain('Delete this room for everyone');
    await shot(alice, 'delete-confirm');
    await confirm.getByRole('button', { name: 'Delete for everyone' }).click();
    for (const who of [alice, bob]) {
      await who.page.locator('[data-page="problem"][data-problem="room-gone"]').waitFor({ timeout: 15_000 });
    }
    expect(await bob.page.locator('.lead').textContent()).toBe('The room’s owner deleted it, with all its files.');
    await shot(bob, 'deleted');
    expect((await fetch(`${server.url}/room_exists?room_id=${roomId}`)).status).toBe(404);
  });

  it('a file link shows name, size and downloads left before downloading, saves under the name, and says on load when it is gone', async () => {
    const owner = sdk();
    const { link: roomLink } = await owner.createRoom();
    const room = await owner.join(roomLink, { name: 'Sender' });
    const content = Buffer.from('quarterly numbers\n'.repeat(100));
    const shared = await room.shareFile(new Blob([content]), { name: 'report 2026.txt', type: 'text/plain', maxDownloads: 2 });

    await alice.page.goto(shared.link);
    await alice.page.locator('[data-page="file"][data-file-state="ready"]').waitFor({ timeout: 15_000 });
    expect(await alice.page.getByRole('heading', { level: 1 }).textContent()).toBe('“report 2026.txt” was shared with you');
    expect(await alice.page.locator('[data-fact="name"]').textContent()).toBe('report 2026.txt');
    expect(await alice.page.locator('[data-fact="size"]').textContent()).toBe('1.8 KB');
    expect(await alice.page.locator('[data-fact="type"]').textContent()).toBe('text/plain');
    expect(await alice.page.locator('[data-fact="downloads-left"]').textContent()).toBe('2 of 2');
    await shot(alice, 'file-info');

    const [download] = await Promise.all([
      alice.page.waitForEvent('download', { timeout: 30_000 }),
      alice.page.getByRole('button', { name: 'Download and decrypt' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('report 2026.txt');
    expect((await downloadedBytes(download)).equals(content)).toBe(true);
    await alice.page.locator('[data-fact="downloads-left"]', { hasText: '1 of 2' }).waitFor();

    // The last download is used up elsewhere: opening the link again says at once that the file is gone.
    const last = await sdk().downloadFile(shared.link);
    await new Response(last.stream).arrayBuffer();
    await alice.page.goto(shared.link);
    await alice.page.locator('[data-page="problem"][data-problem="file-gone"]').waitFor({ timeout: 15_000 });
    expect(await alice.page.getByRole('heading', { level: 1 }).textContent()).toBe('This file is missing or expired');
    expect(await alice.page.getByRole('button', { name: 'Download and decrypt' }).count()).toBe(0);
    await shot(alice, 'file-gone');
    await room.leave();
  });
});
