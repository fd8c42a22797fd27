import type { Page } from 'playwright-core';

/**
 * The CSRF token of a loaded Dolibarr page: a form's hidden `input[name="token"]`, else the `token=` of a link
 * (a card's Delete button, `butActionDelete` href `...&action=delete&token=...`, htdocs/societe/card.php). Read from the page as it
 * is once loaded: the server printed both, so there is nothing to wait for (a card without a form has no input).
 */
export async function pageToken(page: Page): Promise<string | undefined> {
  const input = page.locator('input[name="token"]').first();
  const value = (await input.count()) > 0 ? await input.getAttribute('value').catch(() => null) : null;
  // page.content() serializes an href's `&` as `&amp;`
  return value || (/(?:[?&]|&amp;)token=([0-9a-f]+)/i.exec(await page.content())?.[1] ?? undefined);
}
