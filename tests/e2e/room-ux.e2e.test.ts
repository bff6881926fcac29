/**
 * Issue 17 in Chromium against the real server, at desktop (1280×800) and phone (390×844) sizes: the bugs
 * (each test failed before its fix) and the features (QR code, sharing options, links and light Markdown,
 * image previews, typing, unread count and notifications, installability). The other members are SDK clients.
 * Screenshots: test-output/screenshots/17-<viewport>-*.png.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { SealroomClient, type Room, type RoomFile, type RoomMember } from '../../sdk/src/node.js';
import { startServer, type TestServer } from '../support/server';
import { SCREENSHOTS, ensureWebBuild, launchBrowser, newPerson, screenshot, watchPage, type PageProblems } from './support/browser';
import { enterRoom, joinByLink, sendMessage, waitForMessage } from './support/web-flows';

jest.setTimeout(90_000);

const VIEWPORTS: Array<[string, BrowserContextOptions]> = [
  ['desktop', { viewport: { width: 1280, height: 800 } }],
  ['phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }],
];

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let server: TestServer;
let browser: Browser;
const sdkClients: SealroomClient[] = [];

beforeAll(async () => {
  ensureWebBuild();
  // Files kept 60 minutes at most, so the sharing options offer 5 minutes and 1 hour... up to the limit.
  server = await startServer({ db: 'sqlite', env: { FILE_AGE_LIMIT: '120' } });
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

/** A room made by an SDK member, who is in it. */
async function sdkRoom(name = 'alice', options: { password?: string } = {}): Promise<{ invite: string; room: Room }> {
  const client = sdk();
  const { link: invite } = await client.createRoom(options);
  const room = await client.join(invite, { name, ...options });
  return { invite, room };
}

function next<T>(subscribe: (listener: (value: T) => void) => void, what: string, accept: (value: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 20_000);
    subscribe((value) => {
      if (accept(value)) {
        clearTimeout(timer);
        resolve(value);
      }
    });
  });
}

describe.each(VIEWPORTS)('at %s size', (size, viewport) => {
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  const shot = (name: string) => screenshot(page, `17-${size}-${name}`);

  beforeEach(async () => {
    context = await newPerson(browser, server.url, viewport);
    page = await context.newPage();
    problems = await watchPage(page);
  });

  afterEach(async () => {
    await context.close();
    expect(problems.errors).toEqual([]);
  });

  async function expectProblem(kind: string, title: string): Promise<string> {
    const main = page.locator(`[data-page="problem"][data-problem="${kind}"]`);
    await main.waitFor({ timeout: 15_000 });
    expect(await main.getByRole('heading', { level: 1 }).textContent()).toBe(title);
    return (await main.locator('.lead').textContent()) ?? '';
  }

  describe('bugs', () => {
    it('1: a no-password room link with one wrong character in its key says the link does not match (not "Wrong password")', async () => {
      const { invite } = await sdkRoom();
      const [base, secret] = invite.split('#');
      const wrong = secret.slice(0, 10) + (secret[10] === 'A' ? 'B' : 'A') + secret.slice(11);
      await page.goto(`${base}#${wrong}`);
      await enterRoom(page, 'Mallory');
      const detail = await expectProblem('bad-link', 'This link does not work');
      expect(detail).toContain('does not match this room');
      expect(detail).not.toContain('case-sensitive');
      await shot('bug1-link-mismatch');
    });

    it('2: a password room opened without its secret explains that the whole link is needed, also with the right password', async () => {
      const { invite } = await sdkRoom('alice', { password: 'open sesame' });
      await page.goto(invite.split('#')[0]);
      await page.locator('[data-page="join"]').waitFor();
      expect(await page.locator('[data-note="secretless"]').textContent()).toContain('open that whole link instead');
      await shot('bug2-secretless-form');
      await enterRoom(page, 'Bob', 'open sesame');
      const detail = await expectProblem('wrong-password', 'Wrong password, or the whole link is needed');
      expect(detail).toContain('open that whole link');
      await shot('bug2-secretless-refused');
      // The home page no longer promises that a room id alone is enough.
      await page.goto(`${server.url}/`);
      expect(await page.locator('#join-hint').textContent()).toContain('only rooms created to be joined that way');
    });

    it('4: only the timeline scrolls and follows new messages, the composer stays on screen, the invite folds once copied', async () => {
      const { invite, room } = await sdkRoom();
      await joinByLink(page, invite, 'Phoebe');
      for (let i = 1; i <= 20; i++) await room.send(`incoming message number ${i}\nwith a second line`);
      await waitForMessage(page, 'incoming message number 20');
      await page.waitForTimeout(200);
      const layout = await page.evaluate(() => {
        const box = (selector: string) => {
          const all = document.querySelectorAll(selector);
          return all[all.length - 1]!.getBoundingClientRect();
        };
        return {
          pageScrolls: document.documentElement.scrollHeight > innerHeight + 1,
          height: innerHeight,
          newest: box('.bubble-row'),
          composer: box('#message-input'),
          timelineScrolls: document.querySelector('.timeline')!.scrollHeight > document.querySelector('.timeline')!.clientHeight,
        };
      });
      expect(layout.pageScrolls).toBe(false);
      expect(layout.timelineScrolls).toBe(true);
      expect(layout.newest.bottom).toBeLessThanOrEqual(layout.height);
      expect(layout.newest.top).toBeGreaterThanOrEqual(0);
      expect(layout.composer.bottom).toBeLessThanOrEqual(layout.height);
      await shot('bug4-followed');

      await sendMessage(page, 'my own answer');
      await waitForMessage(page, 'my own answer', true);
      const composer = await page.locator('#message-input').boundingBox();
      expect(composer!.y + composer!.height).toBeLessThanOrEqual(layout.height);

      const before = await page.locator('.timeline').evaluate((el) => el.clientHeight);
      expect(await page.locator('details.invite').evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
      await page.getByRole('button', { name: 'Copy the invite link' }).click();
      await page.waitForFunction(() => !(document.querySelector('details.invite') as HTMLDetailsElement).open);
      const after = await page.locator('.timeline').evaluate((el) => el.clientHeight);
      // On a phone the folded box gives its height to the conversation; on a desktop it sits beside the title.
      if (size === 'phone') expect(after).toBeGreaterThan(before);
      else expect(after).toBeGreaterThanOrEqual(before);
      await shot('bug4-invite-folded');
    });

    it('5: a reload warns first, then rejoins the room; Leave asks for confirmation', async () => {
      const { invite, room } = await sdkRoom();
      await joinByLink(page, invite, 'Rita');
      await sendMessage(page, 'hello before the reload'); // a real interaction: browsers warn only after one
      await waitForMessage(page, 'hello before the reload', true);
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.type());
        void dialog.accept();
      });
      const rejoined = next<{ type: string; member: RoomMember }>(
        (l) => room.on('member', l),
        'Rita to rejoin',
        (e) => e.type === 'joined',
      );
      await page.reload();
      expect(dialogs).toEqual(['beforeunload']);
      await page.locator('[data-page="room"]').waitFor({ timeout: 20_000 });
      expect((await rejoined).member.name).toBe('Rita');
      await shot('bug5-rejoined');

      // The brand link to the start page asks too (a browser dialog); "Cancel" stays in the room.
      dialogs.length = 0;
      page.removeAllListeners('dialog');
      page.once('dialog', (dialog) => {
        dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        void dialog.dismiss();
      });
      await page.getByRole('link', { name: 'Sealroom' }).click();
      await page.waitForTimeout(300);
      expect(dialogs).toEqual([expect.stringMatching(/^confirm: Leave the room\?/)]);
      expect(await page.locator('[data-page="room"]').count()).toBe(1);

      await page.getByRole('button', { name: 'Leave', exact: true }).click();
      const confirm = page.getByRole('alertdialog');
      expect(await confirm.textContent()).toContain('The conversation is not kept');
      await shot('bug5-leave-confirm');
      await confirm.getByRole('button', { name: 'Stay' }).click();
      expect(await page.getByRole('alertdialog').count()).toBe(0);
      await page.getByRole('button', { name: 'Leave', exact: true }).click();
      await page.getByRole('button', { name: 'Leave the room' }).click();
      await page.locator('[data-page="home"]').waitFor();
      // Left on purpose: opening the link again asks for a name, it does not rejoin by itself.
      await page.goto(invite);
      await page.locator('[data-page="join"]').waitFor();
    });

    it('6: an unknown path shows the not-found page; "Wendy (web)" gets the avatar "W"; the focus ring is not the error colour', async () => {
      const response = await page.goto(`${server.url}/nope`);
      expect(response!.status()).toBe(404);
      await expectProblem('bad-link', 'Nothing here');
      await shot('bug6-not-found');
      // API clients still get JSON.
      const api = await fetch(`${server.url}/nope`);
      expect([api.status, (await api.json()).error.code]).toEqual([404, 'NOT_FOUND']);

      const { invite, room } = await sdkRoom('Wendy (web)');
      await page.goto(invite);
      await page.locator('[data-page="join"]').waitFor();
      await page.getByLabel('Your name').focus();
      const [outline, danger] = await page.evaluate(() => [
        getComputedStyle(document.activeElement!).outlineColor,
        getComputedStyle(document.documentElement).getPropertyValue('--danger').trim(),
      ]);
      const [r, , b] = outline.match(/\d+/g)!.map(Number);
      expect(b).toBeGreaterThan(r); // blue, not red or orange
      expect(outline).not.toBe(danger);
      await shot('bug6-focus-ring');
      await enterRoom(page, 'Viewer');
      await page.locator('[data-page="room"]').waitFor({ timeout: 20_000 });
      const avatar = page.locator('.members li', { hasText: 'Wendy (web)' }).locator('.avatar');
      expect(await avatar.textContent()).toBe('W');
      await room.send('hi');
      await waitForMessage(page, 'hi');
      expect(await page.locator('.bubble-row:not(.own) .avatar').first().textContent()).toBe('W');
    });
  });

  describe('features', () => {
    it('shows the invite link as a QR code, drawn within the CSP', async () => {
      const { invite } = await sdkRoom();
      await joinByLink(page, invite, 'Quinn');
      await page.getByRole('button', { name: 'QR code of the invite link' }).click();
      const qr = page.getByRole('img', { name: 'QR code of the invite link' });
      await qr.waitFor();
      const { viewBox, modules } = await qr.evaluate((svg) => ({
        viewBox: svg.getAttribute('viewBox'),
        modules: (svg.querySelector('path')!.getAttribute('d') ?? '').split('M').length - 1,
      }));
      expect(viewBox).toMatch(/^0 0 (\d+) \1$/);
      expect(Number(viewBox!.split(' ')[2]) - 8).toBeGreaterThanOrEqual(33); // version 4 or more for a ~80-character link
      expect(modules).toBeGreaterThan(300);
      await shot('qr-code');
      // Where zbarimg is installed (Debian's zbar-tools), the code must scan back to the invite link.
      if (spawnSync('zbarimg', ['--version']).status === 0) {
        const scanned = spawnSync('zbarimg', ['-q', '--raw', path.join(SCREENSHOTS, `17-${size}-qr-code.png`)], { encoding: 'utf8' });
        expect(scanned.stdout.trim()).toBe(invite);
      }
    });

    it('sends a file with the expiry and download limit chosen in "Sharing options"', async () => {
      const { invite, room } = await sdkRoom();
      const fileArrived = next<RoomFile>((l) => room.on('file', l), 'the file');
      await joinByLink(page, invite, 'Sam');
      await page.getByText('Sharing options').click();
      const expiry = await page.locator('#share-expiry option').allTextContents();
      expect(expiry).toEqual(['5 minutes', '1 hour', '2 hours (the longest this server keeps them)']);
      await page.getByLabel('Delete files after').selectOption({ label: '5 minutes' });
      await page.getByLabel('Download limit').selectOption({ label: '1 download, then deleted (burn after reading)' });
      expect(await page.locator('.sharing-summary').textContent()).toBe(': kept 5 minutes, one download');
      await shot('sharing-options');
      const start = Date.now();
      await page.locator('#file-input').setInputFiles({ name: 'secret.txt', mimeType: 'text/plain', buffer: Buffer.from('read me once') });
      const file = await fileArrived;
      expect(file.expiresAt).toBeGreaterThanOrEqual(start + 290_000);
      expect(file.expiresAt).toBeLessThanOrEqual(Date.now() + 301_000);
      await page.locator('.bubble-row.own .file-card', { hasText: 'secret.txt' }).waitFor();
      expect(await page.locator('.bubble-row.own .expires').textContent()).toMatch(/in [45] min/);
      const reader = sdkClients[sdkClients.length - 1];
      const once = await reader.downloadFile(file);
      expect(Buffer.from(await new Response(once.stream).arrayBuffer()).toString()).toBe('read me once');
      await expect(reader.downloadFile(file)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    });

    it('renders links (safely) and light Markdown without turning text into HTML', async () => {
      const { invite, room } = await sdkRoom();
      await joinByLink(page, invite, 'Mark');
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await room.send(
        'see https://example.org/docs?q=1, **bold** and *emphasis* and `x < y`\n```\n<b>not bold</b>\n```\n<img src=x onerror=alert(1)>',
      );
      await waitForMessage(page, 'see');
      const bubble = page.locator('.bubble-row:not(.own) .text').last();
      const link = bubble.getByRole('link', { name: 'https://example.org/docs?q=1' });
      expect(await link.getAttribute('href')).toBe('https://example.org/docs?q=1');
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(await bubble.locator('strong').textContent()).toBe('bold');
      expect(await bubble.locator('em').textContent()).toBe('emphasis');
      expect(await bubble.locator('code').first().textContent()).toBe('x < y');
      expect(await bubble.locator('pre code').textContent()).toBe('<b>not bold</b>');
      expect(await bubble.locator('b, img, script').count()).toBe(0);
      expect(await bubble.textContent()).toContain('<img src=x onerror=alert(1)>');
      expect(requests.filter((url) => url.includes('example.org'))).toEqual([]); // nothing fetched
      // Not Markdown: identifiers and arithmetic stay as written; only http(s) links become links.
      await room.send('snake_case_name, 2*3*4 and javascript:alert(1)');
      await waitForMessage(page, 'snake_case_name');
      const plain = page.locator('.bubble-row:not(.own) .text').last();
      expect(await plain.locator('em, strong, a').count()).toBe(0);
      expect(await plain.textContent()).toBe('snake_case_name, 2*3*4 and javascript:alert(1)');
      await shot('rich-text');
    });

    it('previews an image shared in the room, decrypted in the page into a blob: URL', async () => {
      const { invite, room } = await sdkRoom();
      await joinByLink(page, invite, 'Ines');
      await room.shareFile(new Blob([PNG], { type: 'image/png' }), { name: 'dot.png' });
      await room.shareFile(new Blob([Buffer.from('not an image')], { type: 'text/plain' }), { name: 'notes.txt' });
      const card = page.locator('.file-card', { hasText: 'dot.png' });
      await card.waitFor({ timeout: 20_000 });
      await page.locator('.file-card', { hasText: 'notes.txt' }).waitFor();
      expect(
        await page
          .locator('.file-card', { hasText: 'notes.txt' })
          .getByRole('button', { name: /Show image/ })
          .count(),
      ).toBe(0);
      await card.getByRole('button', { name: 'Show image dot.png' }).click();
      const image = card.getByRole('img', { name: 'dot.png' });
      await image.waitFor();
      await page.waitForFunction(() => (document.querySelector('.image-preview') as HTMLImageElement | null)?.complete === true);
      expect(await image.evaluate((img: HTMLImageElement) => [img.src.startsWith('blob:'), img.naturalWidth])).toEqual([true, 1]);
      await shot('image-preview');
    });

    it('shows who is typing, and tells the others when this person types', async () => {
      const { invite, room } = await sdkRoom('alice');
      await joinByLink(page, invite, 'Tess'); // alice is there already
      const typed = next<RoomMember>((l) => room.on('typing', l), 'Tess typing');
      await page.getByLabel('Message', { exact: true }).pressSequentially('hel');
      expect((await typed).name).toBe('Tess');
      await room.typing();
      const line = page.locator('p.typing');
      await line.filter({ hasText: 'alice is typing…' }).waitFor();
      await shot('typing');
      await room.send('done typing');
      await waitForMessage(page, 'done typing');
      expect(await line.textContent()).toBe(''); // the message ends it at once
    });

    it('counts unread messages in the tab title while away, and notifies when asked to', async () => {
      await context.grantPermissions(['notifications'], { origin: server.url });
      const { invite, room } = await sdkRoom('alice');
      await page.addInitScript(() => {
        const shown: string[] = [];
        (window as unknown as { shownNotes: string[] }).shownNotes = shown;
        const Real = window.Notification;
        window.Notification = class extends Real {
          constructor(title: string, options?: NotificationOptions) {
            super(title, options);
            shown.push(options?.body ?? '');
          }
        } as typeof Notification;
      });
      await joinByLink(page, invite, 'Una');
      await page.getByRole('button', { name: 'Notify me' }).click();
      await page.getByRole('button', { name: 'Notifications on' }).waitFor();
      await shot('notifications-on');
      const setVisibility = (state: 'hidden' | 'visible') =>
        page.evaluate((value) => {
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
          document.dispatchEvent(new Event('visibilitychange'));
        }, state);
      await setVisibility('hidden');
      await room.send('one');
      await room.send('two');
      await waitForMessage(page, 'two');
      await page.waitForFunction(() => document.title === '(2) Sealroom');
      expect(await page.evaluate(() => (window as unknown as { shownNotes: string[] }).shownNotes)).toEqual([
        'New message from alice',
        'New message from alice',
      ]);
      await setVisibility('visible');
      await page.waitForFunction(() => document.title === 'Sealroom');
    });

    it('is installable: a manifest, and a service worker that caches the app shell only', async () => {
      const manifest = await (await fetch(`${server.url}/manifest.webmanifest`)).json();
      expect(manifest).toMatchObject({ name: 'Sealroom', start_url: './', display: 'standalone' });
      await page.goto(`${server.url}/`);
      expect(await page.locator('link[rel="manifest"]').getAttribute('href')).toBe('/manifest.webmanifest');
      const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
      expect(scope).toBe(`${server.url}/`);
      // Use the app under the worker: a room, a message, a file.
      const { invite, room } = await sdkRoom();
      await joinByLink(page, invite, 'Ivy');
      await sendMessage(page, 'cached? never');
      await room.shareFile(new Blob([PNG], { type: 'image/png' }), { name: 'dot.png' });
      await page.locator('.file-card', { hasText: 'dot.png' }).getByRole('button', { name: 'Show image dot.png' }).click();
      await page.locator('.image-preview').waitFor();
      const cached = await page.evaluate(async () => {
        const out: Array<{ url: string; type: string | null }> = [];
        for (const name of await caches.keys()) {
          const cache = await caches.open(name);
          for (const request of await cache.keys())
            out.push({ url: request.url, type: (await cache.match(request))!.headers.get('content-type') });
        }
        return out;
      });
      const base = server.url;
      expect(cached.length).toBeGreaterThan(1);
      expect(cached).toContainEqual({ url: `${base}/`, type: expect.stringContaining('text/html') });
      for (const { url } of cached) expect(url === `${base}/` || /^\/(?:[rf]\/)?assets\/[^/]+$/.test(new URL(url).pathname)).toBe(true);
      expect(cached.filter(({ url }) => /config|room_exists|get_file|upload_file|socket\.io|#/.test(url))).toEqual([]);
      await shot('installed');
    });
  });
});
