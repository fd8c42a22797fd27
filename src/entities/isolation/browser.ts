import type { BrowserContext, Page } from 'playwright-core';
import type { SiteAccess } from '../../verify/http.js';
import { check, type EntityUser, type IsolationCheck, type Marker } from './types.js';

/** Dolibarr's own list and card pages for each object (htdocs/societe, contact, product). */
const pages = [
  {
    list: 'societe/list.php',
    card: (m: Marker) => `societe/card.php?socid=${m.thirdparty}`,
    label: (m: Marker) => m.name,
    what: 'third parties',
  },
  {
    list: 'contact/list.php',
    card: (m: Marker) => `contact/card.php?id=${m.contact}`,
    label: (m: Marker) => m.name,
    what: 'contacts',
  },
  {
    list: 'product/list.php',
    card: (m: Marker) => `product/card.php?id=${m.product}`,
    label: (m: Marker) => m.ref,
    what: 'products',
  },
] as const;

export const pageUrl = (site: SiteAccess, path: string) =>
  new URL(path, `${site.url.replace(/\/$/, '')}/`).href;

async function bodyText(page: Page, site: SiteAccess, path: string): Promise<string> {
  await page.goto(pageUrl(site, path), { timeout: 30_000 });
  return page
    .locator('body')
    .innerText()
    .catch(() => '');
}

/**
 * Log in through the form with the entity chosen in the module's `<select name="entity">` (getLoginPageOptions(),
 * actions_multicompany.class.php l.5392-5440; main.inc.php l.878 tests the login in the posted entity).
 */
export async function browserLogin(
  context: BrowserContext,
  site: SiteAccess,
  u: EntityUser,
): Promise<{ page: Page; ok: boolean; detail: string }> {
  const page = await context.newPage();
  await page.goto(pageUrl(site, 'index.php'), { timeout: 30_000 });
  const form = await page
    .locator('form#login')
    .waitFor({ timeout: 15_000 })
    .then(() => true)
    .catch(() => false);
  if (!form) {
    const text = (
      await page
        .locator('body')
        .innerText()
        .catch(() => '')
    )
      .replace(/\s+/g, ' ')
      .slice(0, 300);
    return { page, ok: false, detail: `no login form at ${page.url()}: ${text}` };
  }
  const hasSelect = (await page.locator('form#login select[name="entity"]').count()) > 0;
  if (!hasSelect)
    return {
      page,
      ok: false,
      detail: 'the login form has no entity selector (is the multicompany module enabled?)',
    };
  await page.locator('form#login select[name="entity"]').evaluate((el, v) => {
    (el as HTMLSelectElement).value = v;
  }, String(u.entity));
  await page.fill('#username', u.login);
  await page.fill('#password', u.password.reveal());
  // The form posts back to the page it is on (action="/index.php"; main.inc.php answers the login in place), so the
  // URL need not change: wait for the answer to the form's POST itself, then for the page it loads.
  await Promise.all([
    page
      .waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest(), {
        timeout: 30_000,
      })
      .catch(() => {}),
    page.locator('form#login [type=submit]').first().click(),
  ]);
  await page.waitForLoadState('load', { timeout: 30_000 }).catch(() => {});
  await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => {});
  const ok =
    (await page.locator('a[href*="user/logout.php"]').count()) > 0 &&
    (await page.locator('form#login').count()) === 0;
  return {
    page,
    ok,
    detail: ok
      ? `${u.login} logged into entity ${u.entity}`
      : `${u.login} not logged into entity ${u.entity} (${page.url()})`,
  };
}

/** What a user of one entity sees in Chromium: its own markers listed, no other entity's on lists or cards. */
export async function browserChecks(
  context: BrowserContext,
  site: SiteAccess,
  u: EntityUser,
  own: Marker,
  others: Marker[],
): Promise<IsolationCheck[]> {
  const base = { channel: 'browser' as const, entity: u.entity };
  const login = await browserLogin(context, site, u);
  const out: IsolationCheck[] = [check({ ...base, id: 'browser.login', ok: login.ok, detail: login.detail })];
  if (!login.ok) return out;
  const { page } = login;
  for (const p of pages) {
    const list = await bodyText(page, site, p.list);
    out.push(
      check({
        ...base,
        id: `browser.${p.what}.own`,
        ok: list.includes(p.label(own)),
        detail: `${p.list} ${list.includes(p.label(own)) ? 'shows' : 'does NOT show'} its own "${p.label(own)}"`,
      }),
    );
    for (const m of others) {
      out.push(
        check({
          ...base,
          other: m.entity,
          id: `browser.${p.what}.list`,
          ok: !list.includes(p.label(m)),
          detail: `${p.list} ${list.includes(p.label(m)) ? 'SHOWS' : 'does not show'} entity ${m.entity}'s "${p.label(m)}"`,
        }),
      );
      const card = await bodyText(page, site, p.card(m));
      out.push(
        check({
          ...base,
          other: m.entity,
          id: `browser.${p.what}.card`,
          ok: !card.includes(p.label(m)),
          detail: `${p.card(m)} ${card.includes(p.label(m)) ? 'SHOWS' : 'does not show'} "${p.label(m)}"`,
        }),
      );
    }
  }
  // a user who is no admin cannot switch into another entity (switchEntity(), actions_multicompany l.4829-4859);
  // `?switchentity=N` on any page other than index.php (which wants a token for any action: CSRFCHECK_WITH_TOKEN)
  for (const m of others) {
    await page.goto(pageUrl(site, `societe/list.php?switchentity=${m.entity}`), { timeout: 30_000 });
    const list = await bodyText(page, site, 'societe/list.php');
    out.push(
      check({
        ...base,
        other: m.entity,
        id: 'browser.switch-refused',
        ok: !list.includes(m.name) && list.includes(own.name),
        detail: `after ?switchentity=${m.entity} the list ${list.includes(m.name) ? 'SHOWS' : 'does not show'} "${m.name}" and ${list.includes(own.name) ? 'still shows' : 'does NOT show'} its own`,
      }),
    );
  }
  await page.close();
  return out;
}

/** The user's password posted with another entity is refused (functions_dolibarr.php: `entity IN (0, N)`). */
export async function otherEntityLoginChecks(
  newContext: () => Promise<BrowserContext>,
  site: SiteAccess,
  u: EntityUser,
  others: Marker[],
): Promise<IsolationCheck[]> {
  const out: IsolationCheck[] = [];
  for (const m of others) {
    const context = await newContext();
    const login = await browserLogin(context, site, { ...u, entity: m.entity });
    out.push(
      check({
        channel: 'browser',
        entity: u.entity,
        other: m.entity,
        id: 'browser.login-other-entity',
        ok:
          !login.ok &&
          !login.detail.startsWith('no login form') &&
          !login.detail.includes('no entity selector'),
        detail: login.ok
          ? `${u.login} LOGGED INTO entity ${m.entity}`
          : `${u.login} refused in entity ${m.entity}`,
      }),
    );
    await context.close();
  }
  return out;
}
