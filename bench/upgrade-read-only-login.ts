/**
 * Issue 19, by hand on a real release: can users log in, open a list and search while the served release is
 * read-only, with login events logged (MAIN_LOGEVENTS_USER_LOGIN, admin/events.php)?
 *   npm run bench -- upgrade-read-only-login --release /work/releases/dolibarr-20.0.2.tgz
 * Installs the release (real MariaDB, PHP-FPM, nginx), turns login events on, then in Chromium (playwright-core):
 * writable, the read-only flag alone (the conf.php of the window before the fix) and the window's conf.php of
 * src/steps/upgrade-copy/read-only.ts. Prints, for each: login, the third-party list, a search, page errors, and
 * whether llx_events / llx_user changed. Exits 1 when the window's conf.php does not let the user in or writes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { Step } from '../src/steps/step.js';
import { readOnlyConfPhp, writeReleaseConf } from '../src/steps/upgrade-copy/conf-wrapper.js';
import { previousRelease, readOnlyOffStep, readOnlyOn } from '../src/steps/upgrade-copy/read-only.js';
import { reloadPhpWaitStep } from '../src/steps/upgrade-copy/reload-wait.js';
import { writeOwnReleaseConf } from '../src/steps/upgrade-copy/release-conf.js';
import { fixedLayout } from '../src/steps/upgrade/context.js';
import { runPipeline } from '../src/steps/upgrade/engine-run.js';
import { launchBrowser, siteContext } from '../src/verify/browser.js';
import { caOf, startInstallStack } from '../test/helpers/install-stack/index.js';
import { engineFor, upgradeContext, upgradePlan } from '../test/helpers/upgrade/index.js';
import { fillDatabase } from './upgrade-data.js';

const { values } = parseArgs({ options: { release: { type: 'string' } } });
if (!values.release) throw new Error('--release dolibarr-X.Y.Z.tgz');
const tarball = values.release;
const version = /dolibarr-(\d+\.\d+\.\d+)\.tgz$/.exec(basename(tarball))?.[1] ?? '';
const sha256 = createHash('sha256').update(readFileSync(tarball)).digest('hex');

const flagOnly: Step = {
  id: 'bench:flag-only',
  title: 'read-only flag only',
  policyRef: 'deploy.phase2.install-base',
  plan: (ctx) => [
    writeReleaseConf(ctx, previousRelease(ctx), readOnlyConfPhp(fixedLayout(ctx).confPhp), 'flag only'),
  ],
};

const ownConfBack: Step = {
  id: 'bench:own-conf',
  title: "the release's own conf.php (issue 19)",
  policyRef: 'deploy.phase2.install-base',
  plan: (ctx) => [writeOwnReleaseConf(ctx, previousRelease(ctx))],
};

const stack = await startInstallStack({ release: tarball, version, sha256 });
let failed = false;
try {
  await fillDatabase(stack, 200);
  const q = (sql: string) => stack.db.rootClient.query(sql);
  await q(
    "INSERT INTO acme_crm.llx_const (name, entity, value, type, visible) VALUES ('MAIN_LOGEVENTS_USER_LOGIN', 1, '1', 'chaine', 0)",
  );
  const ctx = await upgradeContext(stack, upgradePlan(stack, { version, tarball, sha256 }));
  const e = engineFor(stack, ctx);
  const run = async (steps: Step[]) => {
    const r = await runPipeline(e, 'read-only-login', steps, ctx.facts);
    if (!r.ok) throw r.error;
  };
  const site = { url: stack.plan.site.url, address: '127.0.0.1', ca: caOf(stack) };
  const browser = await launchBrowser(site);
  const password = stack.secrets.secret(stack.plan.admin.password.secret).reveal();
  const base = `${site.url.replace(/\/$/, '')}/`;
  const traces = async () =>
    JSON.stringify([
      await q('SELECT COUNT(*) FROM acme_crm.llx_events'),
      await q('SELECT datelastlogin, iplastlogin FROM acme_crm.llx_user'),
    ]);
  const visit = async (label: string) => {
    const before = await traces();
    const context = await siteContext(browser, site);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (x) => errors.push(x.message));
    await page.goto(`${base}index.php`);
    await page.fill('#username', stack.plan.admin.login);
    await page.fill('#password', password);
    await Promise.all([
      page.waitForLoadState('load'),
      page.locator('form#login [type=submit]').first().click(),
    ]);
    const afterLogin = await page.locator('body').innerText();
    const loggedIn = (await page.locator('a[href*="user/logout.php"]').count()) > 0;
    const rows = async (path: string) => {
      await page.goto(`${base}${path}`);
      const text = await page.locator('body').innerText();
      const problem = /(Fatal error|Warning: |DB_ERROR|APPREADONLY|read-only mode|Error in some)/.exec(
        text,
      )?.[0];
      return `${await page.locator('tr.oddeven').count()} rows${problem ? ` (page says "${problem}")` : ''}`;
    };
    const list = loggedIn ? await rows('societe/list.php') : '-';
    const search = loggedIn ? await rows('societe/list.php?search_all=Company+12') : '-';
    const home = loggedIn ? await rows('index.php') : '-';
    const changed = (await traces()) !== before;
    await context.close();
    console.log(
      `${label.padEnd(26)} login ${loggedIn ? 'OK' : `REFUSED (${afterLogin.replace(/\s+/g, ' ').slice(0, 120)})`}; list ${list}; search ${search}; home ${home}; llx_events/llx_user ${changed ? 'CHANGED' : 'unchanged'}${errors.length ? `; script errors ${errors.length}` : ''}`,
    );
    return { loggedIn, changed };
  };
  console.log(`Dolibarr ${version}, MAIN_LOGEVENTS_USER_LOGIN = 1`);
  await visit('writable');
  await run([flagOnly, reloadPhpWaitStep('bench:reload')]);
  await visit('read-only flag alone');
  // the release's own conf.php back (the control replaced it); read-only mode is then its state file: no reload
  await run([ownConfBack, reloadPhpWaitStep('bench:reload')]);
  await run([readOnlyOn]);
  const w = await visit("window's conf.php");
  failed = !w.loggedIn || w.changed;
  await run([readOnlyOffStep('bench:off')]);
  await visit('writable again');
  await browser.close();
} finally {
  await stack.stop();
}
process.exit(failed ? 1 : 0);
