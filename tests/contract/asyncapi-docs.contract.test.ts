import type { Browser } from 'playwright-core';
import { ensureAsyncapiDocs } from '../support/builds';
import { launchChromium } from '../support/chromium';
import { startServer, type TestServer } from '../support/server';

describe('the rendered AsyncAPI docs in a real browser, under the server CSP', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureAsyncapiDocs();
    server = await startServer();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server.close();
  });

  it('renders every operation and expands payload schemas, with no CSP violation and no script error', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.text().startsWith('CSP violation')) problems.push(`console: ${m.text()}`);
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.log(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    const response = await page.goto(`${server.url}/asyncapi/`, { waitUntil: 'networkidle' });
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self' 'unsafe-eval';");

    // Every operation is headed with its event (one channel per event, its address the event's name).
    const headings = await page.locator('h3').allInnerTexts();
    for (const event of ['room:join', 'room:leave', 'message:send', 'file:share']) expect(headings).toContain(`REPLY ${event}`);
    for (const event of ['member:joined', 'member:left', 'message:new', 'file:new', 'room:closed'])
      expect(headings).toContain(`SEND ${event}`);
    // The server is the one serving the page, not the document's example address.
    expect(await page.getByText(`ws://${new URL(server.url).host}/socket.io/`, { exact: true }).count()).toBe(1);
    // Code spans are code, without the backticks the template's stylesheet would draw around them.
    const codeSpan = page.locator('.aui-root .prose code').first();
    expect(await codeSpan.evaluate((el) => [getComputedStyle(el, '::before').content, getComputedStyle(el, '::after').content])).toEqual([
      'none',
      'none',
    ]);
    // Schemas are only in the page once the UI has loaded (the pre-rendered HTML shows them collapsed).
    await page.locator('button:visible', { hasText: 'Expand all' }).first().click();
    await page.getByText('6-36 characters of the base64url alphabet').first().waitFor();
    expect(problems).toEqual([]);
  });
});

describe('the CSP exception for the AsyncAPI docs', () => {
  it('is confined to /asyncapi/: every other response keeps script-src self alone', async () => {
    const server = await startServer();
    try {
      const policy = async (p: string) => (await fetch(`${server.url}${p}`)).headers.get('content-security-policy') ?? '';
      expect(await policy('/health')).toContain("script-src 'self';");
      expect(await policy('/docs/')).not.toContain('unsafe-eval');
      expect(await policy('/asyncapi.yaml')).not.toContain('unsafe-eval');
      expect(await policy('/asyncapi-other')).not.toContain('unsafe-eval');
      expect(await policy('/asyncapi/')).toMatch(/script-src 'self' 'unsafe-eval';.*style-src 'self';/);
    } finally {
      await server.close();
    }
  });
});
