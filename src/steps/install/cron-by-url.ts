import { cronCommand, cronComment, cronUser } from '../../escape/cron.js';
import { curlConfigLine } from '../../escape/curl-config.js';
import { Secret } from '../../core/secret.js';
import { cronByUrlPath } from '../../webserver/cron-by-url-path.js';
import type { Action, StepContext } from '../step.js';
import { layoutOf } from './context.js';
import { certificateFile } from './web-names.js';

/**
 * Issue 14 point 5: a release without scripts/ (the public 20.0.2 tarball) runs Dolibarr's jobs through its
 * public page htdocs/public/cron/cron_run_jobs_by_url.php (l.91-120, 20.0.2: `securitykey` compared with CRON_KEY,
 * `userlogin` an existing user, module Cron enabled; docs/DOLIBARR-NOTES.md). The cron line is only
 * `curl -K FILE`: the URL, the key and the login are in FILE (web user, 0600), so the key is in neither the process
 * list nor the crontab. They are sent as a GET query (`get`, curl -G): the page does not define NOCSRFCHECK, so on a
 * new install (MAIN_SECURITY_CSRF_WITH_TOKEN=2 by default, conf.class.php l.1069-1075, 20.0.2) main.inc.php l.626-674
 * refuses a POST without a CSRF token. Our nginx and Apache sites keep that page's requests out of the access log
 * (src/webserver/cron-by-url-path.ts). The page's answer lands in cronLastRunFile, which `verify` reads to tell
 * that the scheduled run happened.
 */
export const cronByUrlPage = 'htdocs/public/cron/cron_run_jobs_by_url.php';

export const cronCurlConfigFile = (ctx: StepContext): string => `${layoutOf(ctx).toolsDir}/cron-by-url.curl`;
export const cronLastRunFile = (ctx: StepContext): string =>
  `${ctx.plan.target.dataRoot.replace(/\/+$/, '')}/mokodeploy-cron-last-run.txt`;

/** The curl config: the site reached on this server (resolve), trusting exactly its own certificate. */
export function renderCronCurlConfig(ctx: StepContext, key: Secret): Secret {
  const { site, admin } = ctx.plan;
  const url = new URL(site.url);
  const port = url.port || '443';
  const address = site.listen?.[0] ?? '127.0.0.1';
  const form = new URLSearchParams({ securitykey: key.reveal(), userlogin: admin.login }).toString();
  return new Secret(
    [
      `# mokodeploy: Dolibarr scheduled jobs for ${ctx.plan.client} (the release has no scripts/)`,
      curlConfigLine(
        'url',
        `${url.origin}${url.pathname.replace(/\/+$/, '')}${cronByUrlPath}`,
      ),
      curlConfigLine(
        'resolve',
        `${url.hostname}:${port}:${address.includes(':') ? `[${address}]` : address}`,
      ),
      curlConfigLine('cacert', certificateFile(ctx)),
      curlConfigLine('data', form),
      'get',
      curlConfigLine('output', cronLastRunFile(ctx)),
      'silent',
      'show-error',
      'max-time = 300',
      '',
    ].join('\n'),
  );
}

export function renderCronByUrlFile(ctx: StepContext): string {
  return [
    cronComment(`mokodeploy: Dolibarr scheduled jobs for ${ctx.plan.client} through ${cronByUrlPage}`),
    'SHELL=/bin/sh',
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `*/5 * * * * ${cronUser(ctx.plan.target.webUser, 'target.webUser')} ${cronCommand(
      ['curl', '-K', cronCurlConfigFile(ctx)],
      'target.root',
    )} >/dev/null 2>&1`,
    '',
  ].join('\n');
}

/** The curl config (secret, 0600, web user) and the cron file calling it. */
export function cronByUrlActions(ctx: StepContext, key: Secret, cronFile: string): Action[] {
  const t = ctx.plan.target;
  return [
    {
      kind: 'write',
      description: `the release has no scripts/: jobs run through ${cronByUrlPage}; key in ${cronCurlConfigFile(ctx)} (0600), never in argv`,
      file: {
        path: cronCurlConfigFile(ctx),
        content: renderCronCurlConfig(ctx, key),
        mode: 0o600,
        owner: t.webUser,
        group: t.webGroup,
      },
    },
    {
      kind: 'write',
      description: `cron file ${cronFile} (curl -K, every 5 minutes)`,
      file: { path: cronFile, content: renderCronByUrlFile(ctx), mode: 0o644, owner: 'root', group: 'root' },
    },
  ];
}
