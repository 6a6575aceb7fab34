import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Browser, chromium, Page } from 'playwright-core';
import { ADAPTERS, DemoAppHarness, startDemoApp, TEST_CLIENT_SECRET } from '../support/demo-app.harness';
import { closedPort, DEMO_IDS } from '../support/demo-ids';

/** Debian's Chromium, which CI installs with `apt-get install -y chromium`. `CHROMIUM_PATH` points elsewhere. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Folder of the screenshots, which git ignores. */
const ARTIFACTS_DIR = join(__dirname, '..', '..', 'test-artifacts');

/**
 * Flags for a container without a display, GPU or outside network. Playwright adds
 * `--headless`, `--no-sandbox` (its `chromiumSandbox` default) and a fresh temporary
 * `--user-data-dir` itself.
 */
const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const UI_TIMEOUT_MS = 15_000;

const chromiumInstalled = existsSync(CHROMIUM_PATH);
const describeWithBrowser = chromiumInstalled ? describe : describe.skip;
const skipReason = `Skipped the Swagger UI browser test: no Chromium at ${CHROMIUM_PATH}. Install it with "apt-get install -y chromium" or set CHROMIUM_PATH.`;
const suiteTitle = chromiumInstalled ? 'Swagger UI in Chromium (e2e)' : `Swagger UI in Chromium (e2e): ${skipReason}`;
if (!chromiumInstalled) {
  new Logger('SwaggerUiBrowserTest').warn(skipReason);
}

describeWithBrowser(suiteTitle, () => {
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
  }, 40_000);

  afterAll(async () => {
    await browser?.close();
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    let harness: DemoAppHarness;
    let baseUrl: string;

    beforeAll(async () => {
      // The dev issuer must allow the page's origin before the app listens, so the port is chosen first.
      const port = await closedPort();
      baseUrl = `http://127.0.0.1:${port}`;
      harness = await startDemoApp({ adapter, docs: true, issuer: { corsOrigins: [baseUrl] } });
      await harness.app.listen(port, '127.0.0.1');
    });

    afterAll(async () => {
      await harness?.close();
    });

    it('authorises and lists companies', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
      const page = await context.newPage();
      page.setDefaultTimeout(UI_TIMEOUT_MS);
      const offLoopback = await keepOnLoopback(page);
      const screenshotPath = join(ARTIFACTS_DIR, `swagger-ui-${adapter}.png`);
      const tokenRequestsBefore = harness.issuer.tokenRequestCount;
      try {
        await page.goto(`${baseUrl}/docs`);
        await authorizeWithClientCredentials(page, 'demo-acme-iberia', TEST_CLIENT_SECRET);
        expect(harness.issuer.tokenRequestCount).toBe(tokenRequestsBefore + 1);

        const operation = page.locator('.opblock-get').filter({ has: page.locator('[data-path="/companies"]') });
        await operation.locator('.opblock-summary-control').click();
        await operation.locator('button.try-out__btn').click();
        await operation.locator('button.execute').click();

        const liveResponse = operation.locator('.live-responses-table .response').first();
        await liveResponse.waitFor();
        const status = await liveResponse.locator('.response-col_status').innerText();
        const body = await liveResponse.locator('.response-col_description pre').first().innerText();
        expect(status.trim()).toMatch(/^200\b/);
        expect(JSON.parse(body)).toEqual([expect.objectContaining({ id: DEMO_IDS.companies.acmeIberia })]);
        const curl = await operation.locator('.curl-command').innerText();
        expect(curl).toContain(`${baseUrl}/companies`);
        expect(curl).toContain('Authorization: Bearer ');
      } finally {
        await page.screenshot({ path: screenshotPath, fullPage: true });
        await context.close();
      }
      expect(offLoopback).toEqual([]);
      expect(existsSync(screenshotPath)).toBe(true);
    }, 60_000);
  });
});

/**
 * Blocks every request that leaves the loopback interface and returns the list of blocked
 * URLs, so the test proves the page needs nothing from outside.
 */
async function keepOnLoopback(page: Page): Promise<string[]> {
  const blocked: string[] = [];
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.hostname === '127.0.0.1' || url.hostname === 'localhost') {
      await route.continue();
    } else {
      blocked.push(url.href);
      await route.abort();
    }
  });
  return blocked;
}

/** Opens the Authorize dialog, requests a token with the client-credentials scheme, and closes the dialog. */
async function authorizeWithClientCredentials(page: Page, clientId: string, clientSecret: string): Promise<void> {
  await page.locator('.scheme-container button.authorize').click();
  const oauth = page.locator('.auth-container').filter({ hasText: 'OAuth2, clientCredentials' });
  await oauth.locator('input[data-name="clientId"]').fill(clientId);
  await oauth.locator('input[data-name="clientSecret"]').fill(clientSecret);
  await oauth.locator('button.authorize').click();
  await oauth.locator('button', { hasText: 'Logout' }).waitFor();
  await page.locator('.modal-ux button.btn-done').first().click();
}
