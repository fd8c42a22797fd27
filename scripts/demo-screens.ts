import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, siteContext } from '../src/verify/browser.js';
import type { DemoOutcome } from './demo-summary.js';

/**
 * `npm run demo -- --screenshots docs`: the deployed site's login page and the dashboard after the admin
 * logs in, as PNGs (the README's pictures), in the project's own headless Chromium (src/verify/browser.ts:
 * Debian's chromium, the site's name mapped to 127.0.0.1, the demo's private CA accepted).
 */
export async function takeScreenshots(o: DemoOutcome, out: string, prefix = 'demo'): Promise<string[]> {
  mkdirSync(out, { recursive: true });
  const url = `https://${o.services.domain}:${o.services.httpsPort}/`;
  const site = { url, address: '127.0.0.1', ca: readFileSync(o.services.cert.caPath) };
  const browser = await launchBrowser(site);
  try {
    const context = await siteContext(browser, site);
    const page = await context.newPage();
    await page.setViewportSize({ width: 1024, height: 640 });
    await page.goto(`${url}index.php`, { timeout: 30_000 });
    await page.locator('form#login').waitFor({ timeout: 15_000 });
    const login = join(out, `${prefix}-login.png`);
    await page.screenshot({ path: login });
    await page.fill('#username', 'admin');
    await page.fill('#password', o.password.value);
    await Promise.all([
      page.waitForNavigation({ timeout: 30_000 }),
      page.locator('form#login [type=submit]').first().click(),
    ]);
    await page.waitForLoadState('load');
    const dashboard = join(out, `${prefix}-dashboard.png`);
    await page.screenshot({ path: dashboard });
    return [login, dashboard];
  } finally {
    await browser.close();
  }
}
