import type { Plan } from '../../core/plan.js';
import type { Secret } from '../../core/secret.js';
import { loginThroughForm, type LoginResult } from '../../dolibarr/login-form.js';

/**
 * Policy Phase 3 "System health check" / Verification "User login successful": log in as the plan's admin
 * through the real login form over HTTPS (CSRF token + session cookie). Called by the runner after the
 * install pipeline; `address` and `ca` let it reach a site whose DNS or CA is not public yet.
 */
export function checkInstallHealth(
  plan: Plan,
  adminPassword: Secret,
  options: { address?: string; ca?: string | Buffer; timeoutMs?: number } = {},
): Promise<LoginResult> {
  return loginThroughForm({
    url: plan.site.url,
    login: plan.admin.login,
    password: adminPassword,
    ...options,
  });
}
