import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import type { SiteAccess } from './http.js';

/**
 * Debian's chromium driven by playwright-core (no downloaded browser), with the flags that work headless
 * on a server. Every launch() gets a fresh temporary profile (playwright creates and removes a new
 * user-data-dir), so no cookie or cache from an earlier run can make a check pass.
 */
export const chromiumPath = process.env.MOKODEPLOY_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** With a fixed address, the site's name resolves to it inside the browser (as curl --resolve). */
export function launchBrowser(site?: SiteAccess): Promise<Browser> {
  const map = site?.address
    ? [`--host-resolver-rules=MAP ${new URL(site.url).hostname} ${site.address}`]
    : [];
  return chromium.launch({
    executablePath: chromiumPath,
    args: [...chromiumArgs, ...map],
    headless: true,
    timeout: 60_000,
  });
}

/**
 * A browser context for the site. With a private
 * CA the browser accepts the certificate (chromium trusts only its NSS store) — the certificate itself is
 * verified against that CA by the TLS check (checks/tls.ts).
 */
export async function siteContext(browser: Browser, site: SiteAccess): Promise<BrowserContext> {
  return browser.newContext({
    ignoreHTTPSErrors: Boolean(site.ca),
    userAgent: 'mokodeploy-verify (chromium)',
  });
}
