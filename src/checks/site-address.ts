import type { CheckContext } from './finding.js';

/** Where this machine reaches the site: an explicit override, else the target (127.0.0.1 for "local"). */
export function siteAddress(ctx: CheckContext): string {
  return (
    ctx.options?.connectAddress ?? (ctx.plan.target.host === 'local' ? '127.0.0.1' : ctx.plan.target.host)
  );
}
