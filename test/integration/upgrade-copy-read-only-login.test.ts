import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Step } from '../../src/steps/step.js';
import { readOnlyConfPhp, writeReleaseConf } from '../../src/steps/upgrade-copy/conf-wrapper.js';
import { writeOwnReleaseConf } from '../../src/steps/upgrade-copy/release-conf.js';
import { previousRelease, readOnlyOffStep, readOnlyOn } from '../../src/steps/upgrade-copy/read-only.js';
import { reloadPhpWaitStep } from '../../src/steps/upgrade-copy/reload-wait.js';
import { fixedLayout } from '../../src/steps/upgrade/context.js';
import { runPipeline } from '../../src/steps/upgrade/engine-run.js';
import { request } from 'node:https';
import { readLoginToken } from '../../src/dolibarr/login-form.js';
import { dolibarrSession } from '../helpers/dolibarr-pages.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { caOf, startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { addBusinessData, engineFor, upgradeContext, upgradePlan } from '../helpers/upgrade/index.js';

/**
 * Issue 19: logins, list pages and searches while the served release is read-only, on a site that logs login events
 * (MAIN_LOGEVENTS_USER_LOGIN, admin/events.php). The fixture imitates main.inc.php l.1274-1293 (20.0.2): the
 * USER_LOGIN trigger's refused INSERT into llx_events ends the login ("Error in some triggers USER_LOGIN"), and
 * conf.class.php l.382-387: $_SERVER['DOLIBARR_<constant>'] overrides llx_const. The read-only flag alone locks
 * everyone out; the window's conf.php (read-only.ts) lets them in, and nothing is written.
 */
let stack: InstallStack;
const out = mkdtempSync(join(tmpdir(), 'moko-read-only-login-'));
const q = (sql: string) => stack.db.rootClient.query(sql);
const events = async () => (await q('SELECT COUNT(*) FROM acme_crm.llx_events'))[0]![0];
const users = async () =>
  JSON.stringify(await q('SELECT datelastlogin, datepreviouslogin, iplastlogin FROM acme_crm.llx_user'));

/** A user's visit: log in, the third-party list, a search in it. */
async function visit() {
  const page = await dolibarrSession({
    url: stack.plan.site.url,
    ca: caOf(stack),
    login: stack.plan.admin.login,
    password: stack.secrets.secret(stack.plan.admin.password.secret),
  });
  const home = await page('index.php');
  const list = await page('societe/list.php');
  const search = await page('societe/list.php?search_all=Beta');
  return {
    loggedIn: home.body.includes('user/logout.php'),
    home: home.body,
    listRows: Number(/class="nbrecords">(\d+)</.exec(list.body)?.[1] ?? -1),
    searchRows: Number(/class="nbrecords">(\d+)</.exec(search.body)?.[1] ?? -1),
  };
}

/** The answer to the login form's POST itself (what main.inc.php prints when a USER_LOGIN trigger fails). */
async function loginAnswer(): Promise<string> {
  const url = new URL(stack.plan.site.url);
  let cookie = '';
  const call = (form?: URLSearchParams) =>
    new Promise<string>((resolve, reject) => {
      const body = form?.toString();
      const req = request(
        {
          host: '127.0.0.1',
          port: url.port || 443,
          path: '/index.php',
          servername: url.hostname,
          ca: caOf(stack),
          method: body ? 'POST' : 'GET',
          headers: {
            Host: url.host,
            Cookie: cookie,
            ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
          },
        },
        (res) => {
          cookie = (res.headers['set-cookie'] ?? []).map((l) => l.split(';')[0]).join('; ') || cookie;
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const token = readLoginToken(await call());
  const password = stack.secrets.secret(stack.plan.admin.password.secret).reveal();
  return call(
    new URLSearchParams({
      token: token ?? '',
      actionlogin: 'login',
      loginfunction: 'loginfunction',
      username: stack.plan.admin.login,
      password,
    }),
  );
}

/** The flag alone (what the window's conf.php held before): the negative control. */
const flagOnly: Step = {
  id: 'test:flag-only',
  title: 'read-only flag only',
  policyRef: 'deploy.phase2.install-base',
  plan: (ctx) => [
    writeReleaseConf(ctx, previousRelease(ctx), readOnlyConfPhp(fixedLayout(ctx).confPhp), 'flag only'),
  ],
};

/** The release's own conf.php as install wrote it (issue 19, release-conf.ts). */
const ownConfBack: Step = {
  id: 'test:own-conf',
  title: "the release's own conf.php",
  policyRef: 'deploy.phase2.install-base',
  plan: (ctx) => [writeOwnReleaseConf(ctx, previousRelease(ctx))],
};

beforeAll(async () => {
  const old = buildFixtureRelease({ version: '19.0.4' }, join(out, 'old'));
  const next = buildFixtureRelease({ version: '20.0.2' }, join(out, 'new'));
  stack = await startInstallStack({ release: old.tarball, version: old.version, sha256: old.sha256 });
  await addBusinessData(stack);
  // admin/events.php: "log login events" on (dolibarr_set_const MAIN_LOGEVENTS_USER_LOGIN = 1, entity 1)
  await q(
    "INSERT INTO acme_crm.llx_const (name, entity, value) VALUES ('MAIN_LOGEVENTS_USER_LOGIN', 1, '1')",
  );
  (globalThis as { ctx?: unknown }).ctx = await upgradeContext(stack, upgradePlan(stack, next));
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

const ctx = () => (globalThis as { ctx?: Parameters<typeof engineFor>[1] }).ctx!;
const run = async (steps: Step[]) => {
  const r = await runPipeline(engineFor(stack, ctx()), 'read-only-login-test', steps, ctx().facts);
  expect(r.error?.describe?.() ?? '').toBe('');
};

describe('logins in read-only mode with login events logged', () => {
  it('writable: a login writes its event into llx_events', async () => {
    const n = Number(await events());
    const v = await visit();
    expect(v.loggedIn).toBe(true);
    expect(Number(await events())).toBe(n + 1);
  }, 60_000);

  it('the flag alone: the refused INSERT into llx_events ends every login (negative control)', async () => {
    await run([flagOnly, reloadPhpWaitStep('test:reload')]);
    const n = await events();
    expect(await loginAnswer()).toContain('Error in some triggers USER_LOGIN');
    expect((await visit()).loggedIn).toBe(false);
    expect(await events()).toBe(n);
  }, 60_000);

  it("the window's conf.php: login, list and search work; nothing written (llx_events, llx_user)", async () => {
    // the release's own conf.php back (the control above replaced it), then read-only mode: its state file, no reload
    await run([ownConfBack, reloadPhpWaitStep('test:reload')]);
    await run([readOnlyOn]);
    const n = await events();
    const before = await users();
    const v = await visit();
    expect(v.loggedIn, v.home.slice(0, 300)).toBe(true);
    expect(v.listRows).toBeGreaterThan(0);
    expect(v.searchRows).toBeGreaterThan(0);
    expect(v.searchRows).toBeLessThan(v.listRows);
    expect(await events()).toBe(n);
    expect(await users()).toBe(before);
  }, 60_000);

  it('after the window: writable again, login events logged again', async () => {
    await run([readOnlyOffStep('test:off')]);
    const n = Number(await events());
    expect((await visit()).loggedIn).toBe(true);
    expect(Number(await events())).toBe(n + 1);
  }, 60_000);
});
