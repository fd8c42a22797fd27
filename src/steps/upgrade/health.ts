import { loginThroughForm, type LoginResult } from '../../dolibarr/login-form.js';
import type { StepContext } from '../step.js';

/** How the tool reaches the site for health checks and the downtime probe (a private CA, a pinned address). */
export interface SiteAccess {
  address?: string;
  ca?: string | Buffer;
}

/** Policy Phase 3 "System health check": the plan's admin logs in through the real login form. */
export async function checkSiteHealth(ctx: StepContext, access: SiteAccess): Promise<LoginResult> {
  if (!ctx.secret)
    return {
      ok: false,
      reason: 'no secret store to read the admin password',
      finalUrl: ctx.plan.site.url,
      status: 0,
      durationMs: 0,
    };
  return loginThroughForm({
    url: ctx.plan.site.url,
    login: ctx.plan.admin.login,
    password: ctx.secret(ctx.plan.admin.password.secret),
    ...access,
    timeoutMs: 30_000,
  });
}
