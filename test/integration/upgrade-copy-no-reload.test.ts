import { execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPageProbe } from '../../bench/page-prober.js';
import { runRollbackBeforeWrites } from '../../src/steps/rollback/run-before-writes.js';
import { ownConfMarker, releaseStateDir } from '../../src/steps/upgrade-copy/release-conf.js';
import { runCopyUpgrade } from '../../src/steps/upgrade-copy/run-copy-upgrade.js';
import { readOnlyOffStep, readOnlyOn } from '../../src/steps/upgrade-copy/read-only.js';
import { runPipeline } from '../../src/steps/upgrade/engine-run.js';
import { buildFixtureRelease, type FixtureRelease } from '../helpers/fixture-release/build.js';
import { caOf, startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { addBusinessData, engineFor, upgradeContext, upgradePlan } from '../helpers/upgrade/index.js';

/**
 * Issue 19, the switch without PHP-FPM reloads, on the tests' real PHP-FPM (OPcache on, as Debian ships it, plus
 * opcache.enable_file_override) behind nginx: every release has its own conf.php testing state files per request
 * (src/steps/upgrade-copy/release-conf.ts). Shown here:
 * - a read-only state file created or removed is seen by the very next request, every time (stat cache per
 *   request; realpath cache and OPcache's file override do not hide it);
 * - an upgrade by copy and its rollback before writes reload PHP-FPM zero times (php-fpm logs each SIGUSR2
 *   "Reloading in progress"; the master keeps its pid), with a prober asking for the login page and a logged-in page
 *   every 50 ms: no request fails, none is slower than a bound;
 * - a site installed before (release conf.php a symlink to the shared one) is converted once, with one reload
 *   before the write-unavailable window, none in it.
 * The old engine reloaded three times per upgrade and twice per rollback: this test fails on it.
 */
let stack: InstallStack;
let good: FixtureRelease;
const out = mkdtempSync(join(tmpdir(), 'moko-no-reload-test-'));
const root = () => stack.plan.target.root;
const fpmLog = () => join(stack.dir, 'fpm', 'php-fpm.log');
const fpmPid = () => readFileSync(join(stack.dir, 'fpm', 'php-fpm.pid'), 'utf8').trim();
const reloads = () => (readFileSync(fpmLog(), 'utf8').match(/Reloading in progress/g) ?? []).length;
const served = () =>
  execFileSync('readlink', [join(root(), 'current')], { encoding: 'utf8' })
    .trim()
    .replace('releases/', '');
const confOf = (release: string) => join(root(), 'releases', release, 'htdocs/conf/conf.php');

/** A page that bootstraps conf.php as Dolibarr's filefunc.inc.php does (`include_once 'conf/conf.php'`). */
const probePhp = [
  '<?php',
  "include_once 'conf/conf.php';",
  "header('Content-Type: application/json');",
  "$s = function_exists('opcache_get_status') ? opcache_get_status(false) : false;",
  "echo json_encode(['ro' => !empty($dolibarr_main_db_readonly), 'db' => $dolibarr_main_db_name, 'root' => $dolibarr_main_document_root, 'opcache' => is_array($s) && !empty($s['opcache_enabled']), 'override' => ini_get('opcache.enable_file_override'), 'ttl' => ini_get('realpath_cache_ttl')]);",
  '',
].join('\n');

interface Probe {
  ro: boolean;
  db: string;
  root: string;
  opcache: boolean;
  override: string;
  ttl: string;
}

function probe(): Probe {
  const port = stack.httpsPort;
  const caFile = join(out, 'ca.pem');
  if (!existsSync(caFile)) writeFileSync(caFile, caOf(stack));
  const body = execFileSync(
    'curl',
    [
      '-sS',
      '--max-time',
      '10',
      '--cacert',
      caFile,
      '--resolve',
      `crm.acme.test:${port}:127.0.0.1`,
      `https://crm.acme.test:${port}/mokotest-probe.php`,
    ],
    { encoding: 'utf8' },
  );
  return JSON.parse(body) as Probe;
}

function putProbe(release: string) {
  const f = join(root(), 'releases', release, 'htdocs', 'mokotest-probe.php');
  writeFileSync(f, probePhp);
  chmodSync(f, 0o644);
}

beforeAll(async () => {
  const old = buildFixtureRelease({ version: '19.0.4' }, join(out, 'old'));
  good = buildFixtureRelease({ version: '20.0.2' }, join(out, 'good'));
  stack = await startInstallStack({ release: old.tarball, version: old.version, sha256: old.sha256 });
  await addBusinessData(stack);
  // as production may have it: OPcache answering is_file() for files it holds, and a long realpath cache
  const pool = readdirSync(stack.plan.target.phpFpmPoolDir!).find((f) => f.endsWith('.conf'))!;
  appendFileSync(
    join(stack.plan.target.phpFpmPoolDir!, pool),
    '\nphp_admin_value[opcache.enable_file_override] = 1\nphp_admin_value[realpath_cache_ttl] = 600\n',
  );
  execFileSync('kill', ['-USR2', fpmPid()]);
  await new Promise((r) => setTimeout(r, 1500));
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

describe('own conf.php and state files on real PHP-FPM', () => {
  it('a fresh install gives the release its own conf.php (a file, not a symlink), naming its real document root', () => {
    const release = served();
    expect(lstatSync(confOf(release)).isSymbolicLink()).toBe(false);
    expect(readFileSync(confOf(release), 'utf8')).toContain(ownConfMarker);
    putProbe(release);
    const p = probe();
    expect(p).toMatchObject({ ro: false, db: 'acme_crm', opcache: true, override: '1', ttl: '600' });
    expect(p.root).toBe(join(root(), 'releases', release, 'htdocs'));
  });

  it('the read-only state file, created or removed, is seen by the very next request (20 times each way)', () => {
    const release = served();
    const dir = releaseStateDir(root());
    execFileSync('mkdir', ['-p', dir]);
    const flag = join(dir, `${release}.read-only`);
    const before = reloads();
    for (let i = 0; i < 20; i++) {
      writeFileSync(flag, '');
      expect(probe().ro, `request ${i} after the flag was created`).toBe(true);
      unlinkSync(flag);
      expect(probe().ro, `request ${i} after the flag was removed`).toBe(false);
    }
    // the database state file too
    writeFileSync(join(dir, `${release}.database`), 'acme_other\n');
    expect(probe().db).toBe('acme_other');
    rmSync(join(dir, `${release}.database`));
    expect(probe().db).toBe('acme_crm');
    expect(reloads()).toBe(before);
  });
});

describe('read-only mode waits for requests that started before it (drain)', () => {
  it('a connection of the site account opened before the flag holds the step until it closes', async () => {
    putProbe(served());
    const ctx = await upgradeContext(stack, upgradePlan(stack, good));
    const db = stack.plan.database;
    const [cmd, ...args] = stack.db.rootClient.argv.filter((a) => !/^--user=|^-u/.test(a));
    // a request in flight: the site's account, connected before read-only mode, busy for 2 s
    const held = spawn(
      cmd!,
      [...args, `--user=${db.user}`, '--host=127.0.0.1', `--port=${db.port}`, '-e', 'SELECT SLEEP(2)'],
      {
        env: { ...process.env, MYSQL_PWD: stack.secrets.secret(db.password.secret).reveal() },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<number | null>((r) => held.on('exit', r));
    await new Promise((r) => setTimeout(r, 300));
    const t = Date.now();
    const r = await runPipeline(engineFor(stack, ctx), 'drain-test', [readOnlyOn], ctx.facts);
    const ms = Date.now() - t;
    expect(await exited).toBe(0);
    expect(r.error?.describe?.() ?? '').toBe('');
    expect(probe().ro).toBe(true);
    const off = await runPipeline(
      engineFor(stack, ctx),
      'drain-test',
      [readOnlyOffStep('test:off')],
      ctx.facts,
    );
    expect(off.ok).toBe(true);
    expect(probe().ro).toBe(false);
    console.log(`drain held read-only-on ${ms} ms behind a 2 s request`);
    expect(ms).toBeGreaterThan(1200);
  }, 60_000);
});

describe('upgrade by copy and rollback before writes without a PHP-FPM reload', () => {
  it('zero reloads, no failed request, none slower than the bound; the rollback likewise', async () => {
    const pid = fpmPid();
    const before = reloads();
    const ctx = await upgradeContext(stack, upgradePlan(stack, good));
    const prober = startPageProbe({
      url: stack.plan.site.url,
      address: '127.0.0.1',
      ca: caOf(stack),
      login: stack.plan.admin.login,
      password: stack.secrets.secret(stack.plan.admin.password.secret).reveal(),
      intervalMs: 50,
    });
    await new Promise((r) => setTimeout(r, 1000));
    const up = await runCopyUpgrade({ ...engineFor(stack, ctx), probe: false });
    expect(up.outcome, up.reason).toBe('upgraded');
    const afterUpgrade = reloads();
    const ids = up.steps.map((s) => s.id);
    expect(ids).toContain('upgrade:read-only-on');
    expect(ids.filter((id) => /reload-php-(read-only|writable)/.test(id))).toEqual([]);
    expect(lstatSync(confOf(up.newRelease)).isSymbolicLink()).toBe(false);
    expect(readFileSync(confOf(up.newRelease), 'utf8')).toContain(ownConfMarker);
    // the new release is writable (its state files gone), on the copy
    putProbe(up.newRelease);
    expect(probe()).toMatchObject({ ro: false, db: up.liveDatabase });

    const rb = await runRollbackBeforeWrites({
      ...engineFor(stack, { ...ctx, facts: { ...up.facts, badRelease: up.newRelease, reason: 'test' } }),
      probe: false,
    });
    expect(rb.ok, rb.reason).toBe(true);
    const seen = await prober.stop();
    expect(served()).toBe(up.previousRelease);
    expect(probe()).toMatchObject({ ro: false, db: 'acme_crm' });
    console.log(
      `no-reload fixture: upgrade ${(up.durationMs / 1000).toFixed(1)} s, writes off ${up.writeUnavailable?.seconds} s; rollback before writes ${(rb.durationMs / 1000).toFixed(2)} s (switch window ${rb.switchWindow?.seconds} s, check ${rb.checkMs} ms); prober ${seen.samples} samples, ${seen.failed} failed, slowest ${seen.slowestMs} ms, reloads ${afterUpgrade - before} + ${reloads() - afterUpgrade}`,
      JSON.stringify(seen.outages),
    );
    expect(afterUpgrade - before, 'PHP-FPM reloads during the upgrade').toBe(0);
    expect(reloads() - afterUpgrade, 'PHP-FPM reloads during the rollback').toBe(0);
    expect(fpmPid()).toBe(pid);
    expect(seen.loggedIn).toBe(true);
    expect(seen.failed, JSON.stringify(seen.outages)).toBe(0);
    expect(seen.samples).toBeGreaterThan(10);
    expect(seen.slowestMs).toBeLessThan(3000);
  }, 300_000);

  it('a site installed before (conf.php a symlink): converted once before the window, one reload, none after', async () => {
    const release = served();
    const conf = confOf(release);
    rmSync(conf);
    symlinkSync(join(root(), 'shared/conf/conf.php'), conf);
    const before = reloads();
    const ctx = await upgradeContext(stack, upgradePlan(stack, good));
    const up = await runCopyUpgrade({ ...engineFor(stack, ctx), probe: false });
    expect(up.outcome, up.reason).toBe('upgraded');
    expect(reloads() - before).toBe(1);
    expect(lstatSync(conf).isSymbolicLink()).toBe(false);
    expect(readFileSync(conf, 'utf8')).toContain(ownConfMarker);
    const ids = up.steps.map((s) => s.id);
    expect(ids.indexOf('upgrade:own-conf')).toBeLessThan(ids.indexOf('upgrade:cron-pause'));
    putProbe(up.newRelease);
    expect(probe()).toMatchObject({ ro: false, db: up.liveDatabase });
  }, 300_000);
});
