import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSchema, type Plan } from '../../src/core/plan.js';
import { releaseStamp } from '../../src/dolibarr/layout.js';
import { adminGuide } from '../../src/reports/procedures.js';
import { Journal } from '../../src/runner/journal.js';
import { runSteps } from '../../src/runner/run-steps.js';
import { runRehearsal } from '../../src/steps/rehearse/run-rehearsal.js';
import { gatherRestoreFacts, restorePipeline } from '../../src/steps/restore/index.js';
import { SecretStore } from '../../src/store/secrets.js';
import { buildFixtureRelease, type FixtureRelease } from '../helpers/fixture-release/build.js';
import { startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { teamPeople, workspace, type Workspace } from '../helpers/cli.js';
import { dirMaker, tempTargetPaths, testSite } from '../helpers/site-parts.js';
import {
  addBusinessData,
  dataFingerprint,
  engineFor,
  upgradeContext,
  upgradePlan,
} from '../helpers/upgrade/index.js';

/**
 * Issue 23 "Check before change" on one server, real MariaDB and the fixture release: a backup taken with
 * `mokodeploy backup` (its manifest's sha256 recorded on the record), then recovery (`deploy` of a
 * disaster-recovery plan) and rehearsal from it with one byte changed in the dump (`Paris` → `Parxs`), in the dump's
 * closing comment, or in the dump with a manifest written to match: each refused naming the file and the manifest,
 * the new target untouched (no database, no release, no `current`). A restore whose check failed is redone on the
 * next run. A backup id YAML reads as a number is refused with "quote it".
 */
let stack: InstallStack;
let ws: Workspace;
let next: FixtureRelease;
let env: NodeJS.ProcessEnv;
let stamp: string;
const out = mkdtempSync(join(tmpdir(), 'moko-restore-check-'));
const q = (sql: string) => stack.db.rootClient.query(sql);
const backupDir = () => join(stack.plan.target.backupRoot, stamp);
const dump = () => join(backupDir(), 'database.sql');

/** Change the file for the test's body, then put the original bytes back. */
async function tampered(files: Record<string, (text: string) => string>, body: () => Promise<void>) {
  const originals = Object.keys(files).map((f) => [f, readFileSync(join(backupDir(), f))] as const);
  for (const [f, edit] of Object.entries(files)) {
    const text = readFileSync(join(backupDir(), f), 'utf8');
    const changed = edit(text);
    expect(changed, `${f} changed`).not.toBe(text);
    writeFileSync(join(backupDir(), f), changed);
  }
  try {
    await body();
  } finally {
    for (const [f, bytes] of originals) writeFileSync(join(backupDir(), f), bytes);
  }
}
const parisToParxs = (t: string) => t.replace('Paris Office', 'Parxs Office');
const closingComment = (t: string) => t.replace(/-- Dump completed/, '-- Dump complXted');
/** A manifest rewritten to match whatever the files hold now (what someone hiding a change would do). */
const rewriteManifest = (dir = backupDir()) => {
  const files = readFileSync(join(dir, 'SHA256SUMS'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(66));
  return execFileSync('sha256sum', ['--', ...files], { cwd: dir }).toString();
};

beforeAll(async () => {
  ws = workspace();
  const old = buildFixtureRelease({ version: '19.0.4' }, join(out, 'old'));
  next = buildFixtureRelease({ version: '20.0.2' }, join(out, 'new'));
  stack = await startInstallStack({ release: old.tarball, version: old.version, sha256: old.sha256 });
  await addBusinessData(stack);
  await q(
    `INSERT INTO \`${stack.plan.database.name}\`.llx_societe (nom, client, code_client, datec) VALUES ('Paris Office', 1, 'CU0009', NOW())`,
  );
  env = { MOKODEPLOY_SECRET_KEY_FILE: join(ws.dir, 'secret.key') };
  const secrets = new SecretStore(join(ws.dir, '.mokodeploy'), env.MOKODEPLOY_SECRET_KEY_FILE!);
  for (const name of ['acme/db', 'acme/admin']) secrets.set(name, stack.secrets.secret(name));
  // production's record, backed up by the CLI: the manifest's sha256 lands on the record
  ws.writePlan('acme-src.yaml', {
    ...JSON.parse(JSON.stringify(stack.plan)),
    id: 'acme-src',
    kind: 'upgrade',
    environment: 'staging',
    dolibarr: { version: next.version, release: next.tarball, sha256: next.sha256, upgradeFrom: '19.0.4' },
    people: teamPeople,
  });
  for (const args of [
    ['plan', 'submit', 'acme-src.yaml', '--as', 'tina'],
    ['approve', 'acme-src', '--as', 'dave'],
    ['backup', 'acme-src', '--as', 'tina', '--json'],
  ]) {
    const r = await ws.runAsync(args, env);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    if (args[0] === 'backup') stamp = (JSON.parse(r.stdout) as { backup: string }).backup.split('/').at(-1)!;
  }
  expect(readFileSync(dump(), 'utf8')).toContain('Paris Office');
  expect(readFileSync(dump(), 'utf8')).toMatch(/-- Dump completed/);
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

describe('recovery checks the backup against its manifest before changing the target', () => {
  let d: (p: string) => string;
  const dr = 'acme-dr';
  const drRoot = () => join(d('www'), 'acme');
  const untouched = async () => {
    expect(await q("SHOW DATABASES LIKE 'acme_dr_chk'")).toEqual([]);
    expect(existsSync(join(drRoot(), 'releases'))).toBe(false);
    expect(existsSync(join(drRoot(), 'current'))).toBe(false);
  };

  beforeAll(async () => {
    d = dirMaker(join(stack.dir, 'dr-chk'));
    ws.writePlan(`${dr}.yaml`, {
      ...JSON.parse(JSON.stringify(stack.plan)),
      id: dr,
      kind: 'disaster-recovery',
      environment: 'staging',
      target: {
        ...stack.plan.target,
        ...tempTargetPaths(d),
        backupRoot: stack.plan.target.backupRoot, // the backup, on the new server
        serviceManager: 'none',
        cronDir: d('cron.d'),
        phpFpmSocket: join(d('run'), 'php-fpm-dr.sock'),
      },
      site: await testSite(stack.cert),
      database: { ...stack.plan.database, name: 'acme_dr_chk' },
      people: teamPeople,
      window: { start: '2026-12-05T20:00:00Z', end: '2026-12-05T23:00:00Z', timezone: 'UTC' },
      recovery: { backup: stamp },
    });
    for (const args of [
      ['plan', 'submit', `${dr}.yaml`, '--as', 'tina'],
      ['approve', dr, '--as', 'dave'],
      ['ready', dr, '--as', 'tina'],
      ['schedule', dr, '--as', 'dave', '--client-approved-by', 'Jane Client'],
    ]) {
      const r = await ws.runAsync(args, env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  }, 120_000);

  it('a byte changed in the dump (Paris → Parxs) is refused, naming database.sql and the manifest; nothing created', async () => {
    await tampered({ 'database.sql': parisToParxs }, async () => {
      const r = await ws.runAsync(['deploy', dr, '--as', 'tina'], env);
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/database\.sql/);
      expect(r.stderr).toMatch(/manifest/);
      await untouched();
    });
  }, 120_000);

  it("a byte changed in the dump's closing comment is refused too", async () => {
    await tampered({ 'database.sql': closingComment }, async () => {
      const r = await ws.runAsync(['deploy', dr, '--as', 'tina'], env);
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/database\.sql.*manifest|manifest.*database\.sql/s);
      await untouched();
    });
  }, 120_000);

  it('a dump changed with a manifest rewritten to match is refused: the manifest differs from the one recorded', async () => {
    await tampered({ 'database.sql': parisToParxs }, async () => {
      await tampered({ SHA256SUMS: () => rewriteManifest() }, async () => {
        const r = await ws.runAsync(['deploy', dr, '--as', 'tina'], env);
        expect(r.code, r.stderr).toBe(4);
        expect(r.stderr).toMatch(
          /manifest SHA256SUMS .* differs from the one recorded when the backup was taken/,
        );
        await untouched();
      });
    });
  }, 120_000);

  it('the intact backup is recovered: same data as production', async () => {
    const r = await ws.runAsync(['deploy', dr, '--as', 'tina'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(await dataFingerprint(stack, 'acme_dr_chk')).toEqual(await dataFingerprint(stack));
    // which admin password works: the backup's (its llx_user came back with the database)
    expect(r.stdout).toContain(
      `admin login after recovery: "admin" with the password it had when backup ${stamp} was taken`,
    );
    const restored = await q("SELECT pass_crypted FROM acme_dr_chk.llx_user WHERE login = 'admin'");
    expect(restored).toEqual(
      await q(`SELECT pass_crypted FROM \`${stack.plan.database.name}\`.llx_user WHERE login = 'admin'`),
    );
  }, 300_000);

  it("the handoff pack's admin guide says the same for a disaster recovery, and nothing of it for an upgrade", () => {
    const dr = planSchema.parse({ ...stack.plan, kind: 'disaster-recovery', recovery: { backup: stamp } });
    expect(adminGuide(dr)).toContain('Administrator password');
    expect(adminGuide(dr)).toContain(`when backup ${stamp} was taken`);
    expect(adminGuide(upgradePlan(stack, next))).not.toContain('Administrator password');
  });

  it('a backup id YAML reads as a number is refused with "quote it"', () => {
    const text = readFileSync(join(ws.dir, `${dr}.yaml`), 'utf8')
      .replace(/id: acme-dr/, 'id: acme-dr-num')
      .replace(/backup: ["']?(\d{14})["']?/, 'backup: 20261206041238');
    expect(text).toContain('backup: 20261206041238\n');
    ws.writePlan('acme-dr-num.yaml', text);
    const r = ws.run(['plan', 'submit', 'acme-dr-num.yaml', '--as', 'tina'], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/recovery\.backup/);
    expect(r.stderr).toMatch(/quote it/);
  });
});

describe('rehearsal checks the backup against its manifest before making the copy', () => {
  it('a byte changed in the dump is refused naming database.sql and the manifest; no copy made', async () => {
    const ctx = await upgradeContext(stack, upgradePlan(stack, next));
    await tampered({ 'database.sql': parisToParxs }, async () => {
      await expect(runRehearsal(engineFor(stack, ctx))).rejects.toThrow(
        /database\.sql.*manifest|manifest.*database\.sql/,
      );
    });
    expect(existsSync(`${stack.plan.target.root}-rehearsal`)).toBe(false);
    expect(await q("SHOW DATABASES LIKE 'acme_crm_rehearsal'")).toEqual([]);
  }, 120_000);

  it('a manifest other than the one recorded on the record is refused', async () => {
    const ctx = await upgradeContext(stack, upgradePlan(stack, next));
    const recorded = { backups: { [stamp]: { stamp, manifestSha256: 'f'.repeat(64) } } };
    const e = engineFor(stack, { ...ctx, facts: { ...ctx.facts, ...recorded } });
    await expect(runRehearsal(e)).rejects.toThrow(/differs from the one recorded/);
    expect(existsSync(`${stack.plan.target.root}-rehearsal`)).toBe(false);
  }, 120_000);
});

describe('a restore that failed its own check is redone on the next run', () => {
  it('restore:database is loaded again after the dump is fixed, not skipped as done', async () => {
    // a copy of the backup whose dump and manifest were changed together, with no record to catch it: the
    // restore loads the altered row and restore:verify-data fails
    const root = join(stack.dir, 'redo-backups');
    cpSync(backupDir(), join(root, stamp), { recursive: true });
    const copy = join(root, stamp);
    const good = readFileSync(join(copy, 'database.sql'));
    const goodSums = readFileSync(join(copy, 'SHA256SUMS'));
    writeFileSync(join(copy, 'database.sql'), parisToParxs(good.toString('utf8')));
    writeFileSync(join(copy, 'SHA256SUMS'), rewriteManifest(copy));
    const d = dirMaker(join(stack.dir, 'redo'));
    const plan: Plan = planSchema.parse({
      ...stack.plan,
      kind: 'disaster-recovery',
      target: { ...stack.plan.target, ...tempTargetPaths(d), backupRoot: root },
      database: { ...stack.plan.database, name: 'acme_redo' },
    });
    const facts = await gatherRestoreFacts(stack.host, plan, stamp, {
      serviceManager: 'none',
      fpmSocket: join(d('run'), 'fpm.sock'),
      cronDir: d('cron.d'),
      stamp: releaseStamp(new Date()),
    });
    const store = mkdtempSync(join(tmpdir(), 'moko-redo-store-'));
    // the deployment's journal, as `deploy` opens it for each run
    const run = () =>
      runSteps({
        host: stack.host,
        steps: restorePipeline({ web: false }),
        ctx: { ...stack.ctx, plan, facts: { ...facts } },
        journal: Journal.open({ storeDir: store, deploymentId: 'acme-redo', planHash: 'h' }),
      });
    await expect(run()).rejects.toThrow(/restore:verify-data|differ|cmp/);
    expect((await q('SELECT nom FROM acme_redo.llx_societe WHERE code_client = "CU0009"'))[0]?.[0]).toBe(
      'Parxs Office',
    );

    writeFileSync(join(copy, 'database.sql'), good);
    writeFileSync(join(copy, 'SHA256SUMS'), goodSums);
    const again = await run();
    const status = new Map(again.steps.map((s) => [s.step, s.status]));
    expect(status.get('restore:database')).toBe('done');
    expect(status.get('restore:verify-data')).toBe('done');
    expect(await dataFingerprint(stack, 'acme_redo')).toEqual(await dataFingerprint(stack));
  }, 300_000);
});
