import type { BrowserContext } from 'playwright-core';
import type { PlanEntity } from '../../steps/entities/context.js';
import type { SiteAccess } from '../../verify/http.js';
import { pageUrl } from './browser.js';
import { check, type IsolationCheck } from './types.js';

/**
 * Each entity of the plan is offered under the plan's label where people choose it: the login form's
 * `<select name="entity">` (the module's select_entities(), actions_multicompany.class.php l.4335-4395: one option
 * per active entity, its llx_entity label as the text). The master entity 1 included: the module names it
 * "Master entity" until the entity steps give it the plan's label.
 */
export async function labelChecks(
  context: BrowserContext,
  site: SiteAccess,
  entities: PlanEntity[],
): Promise<IsolationCheck[]> {
  const page = await context.newPage();
  try {
    await page.goto(pageUrl(site, 'index.php'), { timeout: 30_000 });
    const options = await page
      .locator('form#login select[name="entity"] option')
      .evaluateAll((els) =>
        els.map((el) => [(el as HTMLOptionElement).value, (el.textContent ?? '').trim()] as const),
      )
      .catch(() => [] as (readonly [string, string])[]);
    const offered = new Map(options);
    return entities.map((e) => {
      const got = offered.get(String(e.id));
      return check({
        channel: 'browser',
        entity: e.id,
        id: 'login.entity-label',
        ok: got === e.label,
        detail:
          got === undefined
            ? `the login form offers no entity ${e.id}`
            : `the login form offers entity ${e.id} as "${got}", the plan says "${e.label}"`,
      });
    });
  } finally {
    await page.close();
  }
}
