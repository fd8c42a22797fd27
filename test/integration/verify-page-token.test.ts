import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../src/verify/browser.js';
import { pageToken } from '../../src/verify/page-token.js';

/**
 * The forms path removes its test records through each card's delete confirmation with the page's CSRF token
 * (src/verify/ui-records.ts). A card without a form has the token only in its links: reading it must not wait
 * for a hidden input that never comes (it waited 5 s per record, 15 s per verification without the REST API).
 */
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

const timed = async (html: string) => {
  await page.setContent(html);
  const started = Date.now();
  const token = await pageToken(page);
  return { token, ms: Date.now() - started };
};

describe("a loaded page's CSRF token", () => {
  it("is a form's hidden input when there is one", async () => {
    const r = await timed(
      '<form><input type="hidden" name="token" value="a1b2"></form><a href="card.php?id=1&action=delete&token=ffff">Delete</a>',
    );
    expect(r.token).toBe('a1b2');
  });

  it("is the Delete link's token on a card without a form, read at once", async () => {
    const r = await timed(
      '<div class="tabsAction"><a class="butActionDelete" href="/product/card.php?id=2&amp;action=delete&amp;token=6a5e2027">Delete</a></div>',
    );
    expect(r.token).toBe('6a5e2027');
    expect(r.ms).toBeLessThan(2_000);
  });

  it('is undefined on a page with neither', async () => {
    const r = await timed('<p>token: none here</p>');
    expect(r.token).toBeUndefined();
    expect(r.ms).toBeLessThan(2_000);
  });
});
