import type { Host } from '../../hosts/host.js';
import { launchBrowser, siteContext } from '../../verify/browser.js';
import type { SiteAccess } from '../../verify/http.js';
import { entitiesOf } from '../../steps/entities/context.js';
import type { StepContext } from '../../steps/step.js';
import { apiChecks } from './api.js';
import { browserChecks, otherEntityLoginChecks } from './browser.js';
import { labelChecks } from './labels.js';
import { clearApiKey, removeMarkers, seedMarkers, setApiKey } from './markers.js';
import { switchChecks } from './switching.js';
import type { IsolationCheck, IsolationReport, Marker } from './types.js';

/**
 * Policy "Data segregation — Verify entity isolation, Test entity switching" (issue 18): markers in every entity,
 * then for the first user of each entity with users, Chromium and the REST API must show its own markers and none
 * of the others'; then the admin switches through every entity and sees its data and branding. The login form
 * must offer each entity under the plan's label. The markers are removed at the end, whatever the outcome.
 */
export async function verifyEntityIsolation(
  host: Host,
  ctx: StepContext,
  site: SiteAccess,
  now = new Date(),
  /** Called once the markers exist (the e2e's negative control breaks the isolation there on purpose). */
  afterSeed?: (markers: Marker[]) => Promise<void>,
): Promise<IsolationReport> {
  const entities = entitiesOf(ctx);
  const ids = [...new Set([1, ...entities.map((e) => e.id)])];
  const secret = (name: string) => ctx.secret!(name);
  const markers = await seedMarkers(host, ctx, ids);
  const checks: IsolationCheck[] = [];
  const browser = await launchBrowser(site);
  try {
    await afterSeed?.(markers);
    const labels = await siteContext(browser, site);
    checks.push(...(await labelChecks(labels, site, entities)));
    await labels.close();
    // a fresh context (no cookies) for each person: one session must not carry into the next login
    for (const e of entities) {
      const u = e.users[0];
      const own = markers.find((m) => m.entity === e.id);
      if (!u || !own) continue;
      const user = { entity: e.id, login: u.login, password: secret(u.password.secret) };
      const others = markers.filter((m) => m.entity !== e.id);
      const key = await setApiKey(host, ctx, e.id, u.login);
      try {
        checks.push(...(await apiChecks(site, user, key, own, others)));
      } finally {
        await clearApiKey(host, ctx, e.id, u.login);
      }
      const context = await siteContext(browser, site);
      checks.push(...(await browserChecks(context, site, user, own, others)));
      await context.close();
      checks.push(...(await otherEntityLoginChecks(() => siteContext(browser, site), site, user, others)));
    }
    const admin = {
      entity: 1,
      login: ctx.plan.admin.login,
      password: secret(ctx.plan.admin.password.secret),
    };
    checks.push(...(await switchChecks(await siteContext(browser, site), site, admin, markers, entities)));
  } finally {
    await browser.close().catch(() => {});
    await removeMarkers(host, ctx, markers);
  }
  return { at: now.toISOString(), entities: ids, checks, ok: checks.length > 0 && checks.every((c) => c.ok) };
}
