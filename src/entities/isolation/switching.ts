import type { BrowserContext } from 'playwright-core';
import type { SiteAccess } from '../../verify/http.js';
import { eldyColor } from '../../steps/entities/entity-branding.js';
import type { PlanEntity } from '../../steps/entities/context.js';
import { browserLogin, pageUrl } from './browser.js';
import { check, type EntityUser, type IsolationCheck, type Marker } from './types.js';

/**
 * The superadmin switches entity (GET <page>?switchentity=N, hook updateSession(),
 * actions_multicompany.class.php l.5379-5383; index.php wants a token for any action, CSRFCHECK_WITH_TOKEN) and sees each entity's data and nobody else's, and each entity's
 * branding: eldy's `--colorbackhmenu1` (theme/eldy/global.inc.php l.91, from THEME_ELDY_TOPMENU_BACK1) and the
 * menu logo (img.mycompany, eldy.lib.php l.566-583) loaded from the entity's own thumbs.
 */
export async function switchChecks(
  context: BrowserContext,
  site: SiteAccess,
  admin: EntityUser,
  markers: Marker[],
  entities: PlanEntity[],
): Promise<IsolationCheck[]> {
  const login = await browserLogin(context, site, admin);
  const out: IsolationCheck[] = [
    check({
      channel: 'browser',
      entity: admin.entity,
      id: 'switch.login',
      ok: login.ok,
      detail: login.detail,
    }),
  ];
  if (!login.ok) return out;
  const { page } = login;
  for (const m of markers) {
    const base = { channel: 'browser' as const, entity: m.entity };
    await page.goto(pageUrl(site, `societe/list.php?switchentity=${m.entity}`), { timeout: 30_000 });
    await page.goto(pageUrl(site, 'societe/list.php'), { timeout: 30_000 });
    const text = await page
      .locator('body')
      .innerText()
      .catch(() => '');
    const strangers = markers.filter((o) => o.entity !== m.entity && text.includes(o.name));
    out.push(
      check({
        ...base,
        id: 'switch.own-data',
        ok: text.includes(m.name),
        detail: `${admin.login} in entity ${m.entity} ${text.includes(m.name) ? 'sees' : 'does NOT see'} "${m.name}"`,
      }),
      check({
        ...base,
        id: 'switch.others-data',
        ok: strangers.length === 0,
        detail: strangers.length
          ? `also sees ${strangers.map((s) => s.name).join(', ')}`
          : "sees no other entity's marker",
      }),
    );
    const branding = entities.find((e) => e.id === m.entity)?.branding;
    if (branding?.topMenuColor) {
      const got = (
        await page.evaluate(() =>
          getComputedStyle(document.documentElement).getPropertyValue('--colorbackhmenu1'),
        )
      ).replace(/\s/g, '');
      const want = `rgb(${eldyColor(branding.topMenuColor)})`;
      out.push(
        check({
          ...base,
          id: 'switch.branding.color',
          ok: got === want,
          detail: `--colorbackhmenu1 is ${got || '(unset)'}, the plan says ${want}`,
        }),
      );
    }
    if (branding?.logo) {
      const stem = branding.logo.replace(/^.*\//, '').replace(/\.[^.]+$/, '');
      const logo = await page.evaluate(() => {
        const img = document.querySelector<HTMLImageElement>('img.mycompany');
        return img ? { src: img.getAttribute('src') ?? '', width: img.naturalWidth } : undefined;
      });
      const ok = !!logo && logo.src.includes(`logos%2Fthumbs%2F${stem}`) && logo.width > 0;
      out.push(
        check({
          ...base,
          id: 'switch.branding.logo',
          ok,
          detail: logo
            ? `menu logo ${decodeURIComponent(logo.src)} (${logo.width} px wide)`
            : 'no img.mycompany in the menu',
        }),
      );
    }
  }
  await page.close();
  return out;
}
