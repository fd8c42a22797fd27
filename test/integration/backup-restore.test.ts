import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupPipeline } from '../../src/backup/index.js';
import { readBackup } from '../../src/backup/read.js';
import { readTargetState } from '../../src/backup/target-state.js';
import { planSchema } from '../../src/core/plan.js';
import { parseConfPhp } from '../../src/dolibarr/conf-php.js';
import { loginThroughForm } from '../../src/dolibarr/login-form.js';
import { releaseStamp } from '../../src/dolibarr/layout.js';
import { gatherRestoreFacts, restorePipeline } from '../../src/steps/restore/index.js';
import { runPipeline } from '../../src/steps/upgrade/engine-run.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { caOf, startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import {
  startFpmWithPools,
  startNginxWithSites,
  type Running,
} from '../helpers/install-stack/web-servers.js';
import { freePort } from '../helpers/services/process.js';
import { addBusinessData, dataFingerprint, engineFor } from '../helpers/upgrade/index.js';
import { workspace, teamPeople } from '../helpers/cli.js';
import { dirMaker, tempTargetPaths, testSite } from '../helpers/site-parts.js';
import { SecretStore } from '../../src/store/secrets.js';

/**
 * Issue 5 "Install from backup" / disaster recovery: a backup of a running fixture install (with data) restored
 * onto a second target directory with another database, served by its own PHP-FPM and nginx: same data
 * (row counts and checksums), same instance unique id, login works. Retention keeps the newest N.
 */
let stack: InstallStack;
const out = mkdtempSync(join(tmpdir(), 'moko-backup-test-'));
const running: Running[] = [];
const stamp = '20260102030405';

beforeAll(async () => {
  const release = buildFixtureRelease({ version: '19.0.4' }, out);
  stack = await startInstallStack({
    release: release.tarball,
    version: release.version,
    sha256: release.sha256,
  });
  await addBusinessData(stack);
}, 240_000);

afterAll(async () => {
  for (const r of running.reverse()) await r.stop().catch(() => {});
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

describe('backup, then restore onto a second target directory (disaster recovery)', () => {
  it('restores database, documents, custom modules and conf.php (same instance id) and serves the same data', async () => {
    // as `mokodeploy backup` takes it: with what runs now (release, file and database versions) in backup.json
    const target = await readTargetState(stack.host, stack.plan);
    const ctx = { ...stack.ctx, facts: { ...stack.ctx.facts, stamp, target } };
    const backup = await runPipeline(engineFor(stack, ctx), 'backup', backupPipeline(), ctx.facts);
    expect(backup.error?.describe?.() ?? '').toBe('');
    const dir = (p: string) => {
      const full = join(stack.dir, 'dr', p);
      mkdirSync(full, { recursive: true });
      chmodSync(full, 0o755);
      return full;
    };
    dir('');
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    const plan = planSchema.parse({
      ...stack.plan,
      kind: 'disaster-recovery',
      target: {
        ...stack.plan.target,
        root: join(dir('www'), 'acme'),
        dataRoot: join(dir('lib'), 'acme', 'documents'),
        webConfigDir: dir('sites'),
        phpFpmPoolDir: dir('pool.d'),
      },
      site: { ...stack.plan.site, url: `https://crm.acme.test:${httpsPort}`, httpPort, httpsPort },
      database: { ...stack.plan.database, name: 'acme_dr' },
    });
    const fpmSocket = join(dir('run'), 'php-fpm-dr.sock');
    const facts = await gatherRestoreFacts(stack.host, plan, stamp, {
      serviceManager: 'none',
      fpmSocket,
      cronDir: dir('cron.d'),
      stamp: releaseStamp(new Date()),
    });
    const drCtx = { ...stack.ctx, plan, facts: { ...facts } };
    const restore = await runPipeline(engineFor(stack, drCtx), 'restore', restorePipeline(), drCtx.facts);
    expect(restore.error?.describe?.() ?? '', `failed at ${restore.failedStep}`).toBe('');
    expect(restore.steps.map((s) => s.id)).toContain('restore:verify-data');
    expect(await dataFingerprint(stack, 'acme_dr')).toEqual(await dataFingerprint(stack, 'acme_crm'));

    const oldConf = parseConfPhp(readFileSync(join(stack.plan.target.root, 'shared/conf/conf.php'), 'utf8'));
    const newConf = parseConfPhp(readFileSync(join(plan.target.root, 'shared/conf/conf.php'), 'utf8'));
    expect(newConf.instanceUniqueId.reveal()).toBe(oldConf.instanceUniqueId.reveal());
    expect(newConf.db.name).toBe('acme_dr');
    expect(newConf.dataRoot).toBe(plan.target.dataRoot);
    expect(readFileSync(join(plan.target.dataRoot, 'install.lock'), 'utf8')).toContain('lock');

    running.push(await startFpmWithPools(dir('fpm'), plan.target.phpFpmPoolDir!, fpmSocket));
    running.push(await startNginxWithSites(dir('nginx'), plan.target.webConfigDir!, [httpPort, httpsPort]));
    const login = await loginThroughForm({
      url: plan.site.url,
      login: 'admin',
      password: stack.secrets.secret('acme/admin'),
      address: '127.0.0.1',
      ca: caOf(stack),
    });
    expect(login.ok, login.reason).toBe(true);
  }, 240_000);

  it('`mokodeploy deploy` of a disaster-recovery plan restores the newest backup; a backup of another version is refused', async () => {
    const ws = workspace();
    const keyFile = join(ws.dir, 'secret.key');
    const env = { MOKODEPLOY_SECRET_KEY_FILE: keyFile };
    const secrets = new SecretStore(join(ws.dir, '.mokodeploy'), keyFile);
    for (const name of ['acme/db', 'acme/admin']) secrets.set(name, stack.secrets.secret(name));
    const d = dirMaker(join(stack.dir, 'dr-cli'));
    const fpmSocket = join(d('run'), 'php-fpm-dr.sock');
    const site = await testSite(stack.cert);
    const plan = (id: string, release: { version: string; tarball: string; sha256: string }) => ({
      ...JSON.parse(JSON.stringify(stack.plan)),
      id,
      kind: 'disaster-recovery',
      environment: 'staging',
      dolibarr: { version: release.version, release: release.tarball, sha256: release.sha256 },
      target: {
        ...stack.plan.target,
        ...tempTargetPaths(d),
        backupRoot: stack.plan.target.backupRoot, // the backup, copied onto the new server
        serviceManager: 'none',
        cronDir: d('cron.d'),
        phpFpmSocket: fpmSocket,
      },
      site,
      database: { ...stack.plan.database, name: 'acme_dr_cli' },
      people: teamPeople,
      window: { start: '2026-12-05T20:00:00Z', end: '2026-12-05T23:00:00Z', timezone: 'UTC' },
    });
    const walk = (id: string) => {
      for (const args of [
        ['plan', 'submit', `${id}.yaml`, '--as', 'tina'],
        ['approve', id, '--as', 'dave'],
        ['ready', id, '--as', 'tina'],
        ['schedule', id, '--as', 'dave', '--client-approved-by', 'Jane Client'],
      ]) {
        const r = ws.run(args, env);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      }
    };

    // the plan's release is 20.0.2, the backup is of 19.0.4: refused before anything is touched
    const newer = buildFixtureRelease({ version: '20.0.2' }, join(out, 'newer'));
    ws.writePlan('acme-dr-wrong.yaml', plan('acme-dr-wrong', newer));
    walk('acme-dr-wrong');
    const wrong = ws.run(['deploy', 'acme-dr-wrong', '--as', 'tina'], env);
    expect(wrong.code, wrong.stderr).toBe(4);
    expect(wrong.stderr).toContain('was taken from Dolibarr 19.0.4');
    expect(wrong.stderr).toContain('recover with the 19.0.4 release');
    expect(existsSync(join(d('www'), 'acme', 'current'))).toBe(false);

    const old = {
      version: '19.0.4',
      tarball: stack.plan.dolibarr.release,
      sha256: stack.plan.dolibarr.sha256!,
    };
    ws.writePlan('acme-dr.yaml', plan('acme-dr', old));
    walk('acme-dr');
    const dry = ws.run(['deploy', 'acme-dr', '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`${stack.plan.target.backupRoot}/${stamp}`);
    const r = ws.run(['deploy', 'acme-dr', '--as', 'tina'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(ws.run(['show', 'acme-dr', '--json']).stdout)).toMatchObject({ state: 'verifying' });
    expect(await dataFingerprint(stack, 'acme_dr_cli')).toEqual(await dataFingerprint(stack, 'acme_crm'));

    running.push(await startFpmWithPools(d('fpm'), d('pool.d'), fpmSocket));
    running.push(await startNginxWithSites(d('nginx'), d('sites'), [site.httpPort, site.httpsPort]));
    const login = await loginThroughForm({
      url: site.url,
      login: 'admin',
      password: stack.secrets.secret('acme/admin'),
      address: '127.0.0.1',
      ca: caOf(stack),
    });
    expect(login.ok, login.reason).toBe(true);
  }, 300_000);

  it('a backup directory is written once: another run with the same stamp is refused, the first stays intact', async () => {
    const root = stack.plan.target.backupRoot;
    const sums = () =>
      execFileSync('sha256sum', ['--check', '--strict', 'SHA256SUMS'], { cwd: join(root, stamp) }).toString();
    expect(sums()).toMatch(/database\.sql: OK/);
    const manifest = readFileSync(join(root, stamp, 'SHA256SUMS'));
    // a second run (its own journal, its own id) that would name the same directory
    const ctx = { ...stack.ctx, facts: { ...stack.ctx.facts, stamp } };
    const again = await runPipeline(engineFor(stack, ctx), 'backup', backupPipeline(), ctx.facts);
    expect(again.ok).toBe(false);
    expect(again.failedStep).toBe('backup:prepare');
    expect(again.error?.describe()).toMatch(/File exists/);
    expect(readFileSync(join(root, stamp, 'SHA256SUMS'))).toEqual(manifest);
    expect(sums()).toMatch(/database\.sql: OK/);
  }, 120_000);

  it('retention keeps the newest complete backups and leaves other files alone', async () => {
    const root = stack.plan.target.backupRoot;
    for (const s of ['20250101000000', '20250201000000']) {
      mkdirSync(join(root, s), { recursive: true });
      execFileSync('sh', ['-c', `echo x > ${join(root, s, 'SHA256SUMS')}`]);
    }
    mkdirSync(join(root, 'not-a-backup'), { recursive: true });
    const ctx = { ...stack.ctx, facts: { ...stack.ctx.facts, stamp: '20260103000000', keepBackups: 2 } };
    const run = await runPipeline(engineFor(stack, ctx), 'backup', backupPipeline(), ctx.facts);
    expect(run.ok).toBe(true);
    const left = execFileSync('ls', [root]).toString().split('\n').filter(Boolean).sort();
    expect(left).toEqual(['20260102030405', '20260103000000', 'not-a-backup']);
    expect((await readBackup(stack.host, root, '20260103000000')).tables.rows.get('llx_societe')).toBe(3);
  }, 120_000);
});
