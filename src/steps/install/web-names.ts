import type { SiteOptions } from '../../webserver/site-options.js';
import type { StepContext } from '../step.js';
import { installFacts, layoutOf } from './context.js';

/** Where the PHP-FPM pool listens, the pool and site files go, and the site's options. */
export function fpmSocketPath(ctx: StepContext): string {
  return installFacts(ctx).fpmSocket ?? `/run/php/mokocrm-${ctx.plan.client}.sock`;
}

export function phpMajorMinor(ctx: StepContext): string {
  return (installFacts(ctx).phpVersion ?? '8.2').split('.').slice(0, 2).join('.');
}

export function fpmPoolFile(ctx: StepContext): string {
  const dir = ctx.plan.target.phpFpmPoolDir ?? `/etc/php/${phpMajorMinor(ctx)}/fpm/pool.d`;
  return `${dir}/mokocrm-${ctx.plan.client}.conf`;
}

export function siteFile(ctx: StepContext): string {
  const t = ctx.plan.target;
  const dir =
    t.webConfigDir ?? (t.webServer === 'nginx' ? '/etc/nginx/sites-enabled' : '/etc/apache2/sites-enabled');
  return `${dir}/mokocrm-${ctx.plan.client}.conf`;
}

/** nginx and Apache want the leaf and its chain in one file: <shared>/conf/tls-fullchain.pem when a chain is given. */
export function certificateFile(ctx: StepContext): string {
  const tls = ctx.plan.site.tls;
  return tls.chain ? `${layoutOf(ctx).sharedConfDir}/tls-fullchain.pem` : tls.certificate;
}

export function siteOptions(ctx: StepContext, extra: Partial<SiteOptions> = {}): SiteOptions {
  const { site } = ctx.plan;
  return {
    name: ctx.plan.client,
    domain: site.domain,
    httpPort: site.httpPort,
    httpsPort: site.httpsPort,
    ...(site.listen ? { listen: site.listen } : {}),
    documentRoot: layoutOf(ctx).currentHtdocs,
    certificateFile: certificateFile(ctx),
    keyFile: site.tls.key,
    fpmSocket: fpmSocketPath(ctx),
    fastcgiParams: installFacts(ctx).fastcgiParams,
    apacheListen: installFacts(ctx).apacheListen,
    accessLog: installFacts(ctx).apacheAccessLog ?? `/var/log/apache2/mokocrm-${ctx.plan.client}-access.log`,
    // issue 5: upgrades and rollbacks answer 503 only while the database changes (steps/upgrade/maintenance.ts)
    maintenanceFlag: `${layoutOf(ctx).sharedDir}/maintenance.on`,
    ...extra,
  };
}
