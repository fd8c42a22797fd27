import { posix } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Plan } from '../core/plan.js';
import type { Secret } from '../core/secret.js';
import type { DeploymentRecord } from '../core/record.js';
import type { Host } from '../hosts/host.js';
import type { Policy } from '../policy/types.js';
import { launchBrowser } from './browser.js';
import { DbClient } from './db-query.js';
import { readLiveDatabase } from '../backup/live-database.js';
import type { SiteAccess } from './http.js';

/**
 * Everything a check needs, passed explicitly (STYLE.md 9). Built once per `verify` run by
 * makeVerifyContext(); the browser is started on first use and closed by closeVerifyContext().
 */
export interface VerifyOptions {
  /** Private CA (PEM) the site's certificate chains to (test or pre-launch sites)... */
  ca?: string | Buffer;
  /** ...and the file it was read from (the validation TLS probe reads the file). */
  caFile?: string;
  /** Where to look for the backup schedule (default: /etc/crontab, /etc/cron.d, …, systemd timers). */
  cronPaths?: string[];
  /** Connect to this address instead of resolving the site's domain. */
  address?: string;
  /** Log files to scan; default: the usual nginx/Apache/PHP-FPM logs and DATA_ROOT/dolibarr.log. */
  logFiles?: string[];
  /** Directory holding our cron files on the target (default: the plan's target.cronDir, else /etc/cron.d). */
  cronDir?: string;
  /** Loads per key page for the timing check (default 10). */
  loads?: number;
  /** php-cli on the target (default php). */
  php?: string;
  /** Send the test mail to this address (default plan.email.testRecipient, else the plan's admin mail). */
  mailTo?: string;
}

export interface VerifyContext {
  plan: Plan;
  policy: Policy;
  host: Host;
  now: Date;
  record?: DeploymentRecord;
  secret(name: string): Secret;
  site: SiteAccess;
  paths: TargetPaths;
  options: Required<Pick<VerifyOptions, 'loads' | 'php' | 'cronDir'>> & VerifyOptions;
  db: DbClient;
  browser(): Promise<Browser>;
  /** Undo actions registered by checks (test data), run at the end even after a failure. */
  cleanups: (() => Promise<void>)[];
}

export interface TargetPaths {
  root: string;
  current: string;
  htdocs: string;
  confPhp: string;
  dataRoot: string;
  installLock: string;
  upgradeUnlock: string;
  toolsDir: string;
}

export function targetPaths(plan: Plan): TargetPaths {
  const j = posix.join;
  const current = j(plan.target.root, 'current');
  return {
    root: plan.target.root,
    current,
    htdocs: j(current, 'htdocs'),
    confPhp: j(plan.target.root, 'shared', 'conf', 'conf.php'),
    dataRoot: plan.target.dataRoot,
    installLock: j(plan.target.dataRoot, 'install.lock'),
    upgradeUnlock: j(plan.target.dataRoot, 'upgrade.unlock'),
    toolsDir: j(plan.target.root, 'shared', 'mokodeploy'),
  };
}

export function makeVerifyContext(
  input: Pick<VerifyContext, 'plan' | 'policy' | 'host' | 'now' | 'record' | 'secret'> & {
    options?: VerifyOptions;
  },
): VerifyContext {
  const o = input.options ?? {};
  let browser: Promise<Browser> | undefined;
  const ctx: VerifyContext = {
    ...input,
    site: { url: input.plan.site.url, ca: o.ca, address: o.address },
    paths: targetPaths(input.plan),
    // target paths come from the plan (issue 14 point 6); an option given on the command line wins
    options: {
      loads: 10,
      php: 'php',
      ...o,
      cronDir: o.cronDir ?? input.plan.target.cronDir ?? '/etc/cron.d',
    },
    db: new DbClient(
      input.host,
      input.plan.database,
      () => input.secret(input.plan.database.password.secret),
      () => readLiveDatabase(input.host, input.plan),
    ),
    browser: () => (browser ??= launchBrowser({ url: input.plan.site.url, address: o.address })),
    cleanups: [],
  };
  (ctx as VerifyContext & { closeBrowser?: () => Promise<void> }).closeBrowser = async () => {
    if (browser) await (await browser).close();
  };
  return ctx;
}

export async function closeVerifyContext(ctx: VerifyContext): Promise<void> {
  for (const undo of ctx.cleanups.splice(0).reverse()) await undo().catch(() => {});
  await ctx.db.dispose();
  await (ctx as VerifyContext & { closeBrowser?: () => Promise<void> }).closeBrowser?.();
}
