import { execFile, execFileSync } from 'node:child_process';
import { readLiveDatabase } from '../../src/backup/live-database.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/core/record.js';
import { listRuns } from '../../src/runner/index.js';
import { buildFixtureRelease, type FixtureRelease } from '../helpers/fixture-release/build.js';
import { startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { addBusinessData, dataFingerprint } from '../helpers/upgrade/index.js';
import { upgradeCliWorkspace } from '../helpers/upgrade/cli-workspace.js';

/**
 * Issue 25 "a rollback after writes discards them silently", through the CLI on the fixture site (real MariaDB,
 * PHP-FPM, nginx): the 19.0.4 site upgraded to 20.0.2, then a third party entered and a document uploaded on the
 * new release. `rollback` without --discard-changes refuses (exit 4) naming the table, its count and the file, and
 * changes nothing; with it the rollback runs, the record carries the counts, and the database dump and documents
 * archive kept just before the restore hold the row and the file. A failed upgrade rolls itself back without the
 * flag and keeps the dump too.
 */
let stack: InstallStack;
let good: FixtureRelease;
let broken: FixtureRelease;
const ws = upgradeCliWorkspace('moko-rollback-discard-');
const { out, home, env, cli } = ws;
const id = 'acme-discard';
const cliChild = fileURLToPath(new URL('../helpers/upgrade/cli-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let site: string[];
const q = (sql: string) => stack.db.rootClient.query(sql);
// issue 19: after an upgrade by copy the site's database is the copy (read back from the target, as the commands do)
const live = async () => (await readLiveDatabase(stack.host, stack.plan)) ?? 'acme_crm';
const societe = async () => Number((await q(`SELECT COUNT(*) FROM ${await live()}.llx_societe`))[0]![0]);
const current = () => readlinkSync(join(stack.plan.target.root, 'current'));
const evidenceDirs = () => readdirSync(stack.plan.target.backupRoot).filter((n) => n.startsWith('rollback-'));
const document = 'societe/4/contrat-zeta.pdf';

/** The CLI in its own process, its output captured. */
function cliOut(...args: string[]): Promise<{ code: number; text: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', cliChild, ...args],
      { cwd: repoRoot, env: { ...process.env, ...env }, maxBuffer: 16 << 20 },
      (err, stdout, stderr) =>
        resolve({
          code: err ? Number((err as { code?: number }).code ?? 1) : 0,
          text: `${stdout}\n${stderr}`,
        }),
    );
  });
}

const record = (of = id): Promise<DeploymentRecord> => ws.record(of);
const writePlan = (release: FixtureRelease, planId: string): string =>
  ws.writeUpgradePlan(stack.plan, release, planId);

async function upgrade(planId: string, release: FixtureRelease, inPlace = false): Promise<number> {
  await ws.scheduleUpgrade(planId, { plan: writePlan(release, planId), site });
  return cli('upgrade', planId, ...(inPlace ? ['--in-place'] : []), '--as', 'tina', ...site);
}

const rollbackArgs = [
  'rollback',
  id,
  '--as',
  'tina',
  '--trigger',
  'client-request',
  '--reason',
  'client asks (test)',
];

beforeAll(async () => {
  const old = buildFixtureRelease({ version: '19.0.4' }, join(out, 'old'));
  good = buildFixtureRelease({ version: '20.0.2' }, join(out, 'good'));
  broken = buildFixtureRelease({ version: '20.0.2', brokenMigration: true }, join(out, 'broken'));
  stack = await startInstallStack({ release: old.tarball, version: old.version, sha256: old.sha256 });
  await addBusinessData(stack);
  site = ws.useSite(stack); // the site's secrets in the store, its engine options
  expect(await upgrade(id, good)).toBe(0);
  expect(current()).toMatch(/20\.0\.2-/);
  // the new release takes writes: a third party entered, a document uploaded for it
  await q(
    `INSERT INTO ${await live()}.llx_societe (nom, client, code_client, datec) VALUES ('Zeta SAS', 1, 'CU0004', NOW())`,
  );
  const file = join(stack.plan.target.dataRoot, document);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, '%PDF-1.4 contract of Zeta SAS\n');
}, 420_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

describe('a rollback after writes names what it discards and keeps it (issue 25)', () => {
  it('without --discard-changes: refused (exit 4) naming the table, its count and the document; nothing changed', async () => {
    const before = await dataFingerprint(stack, await live());
    const served = current();
    const state = (await record()).state;
    const r = await cliOut(...rollbackArgs, ...site);
    expect(r.code, r.text).toBe(4);
    expect(r.text).toMatch(/llx_societe: \+1 rows \(3 -> 4\)/);
    expect(r.text).toContain(`document ${document}`);
    expect(r.text).toContain('--discard-changes');
    // the upgrade's own migration (llx_product's new columns) is not the client's write
    expect(r.text).not.toMatch(/llx_product/);
    expect(await dataFingerprint(stack, await live())).toEqual(before);
    expect(await societe()).toBe(4);
    expect(current()).toBe(served);
    expect(existsSync(join(stack.plan.target.root, 'shared/maintenance.on'))).toBe(false);
    expect(evidenceDirs()).toEqual([]);
    expect(listRuns(home, `${id}.rollback`)).toHaveLength(0);
    const rec = await record();
    expect(rec.state).toBe(state);
    expect(rec.rollbacks).toHaveLength(0);
  }, 180_000);

  it('with --discard-changes: rolled back, the counts on the record and notice, the row and document kept', async () => {
    const r = await cliOut(...rollbackArgs, ...site, '--discard-changes');
    expect(r.code, r.text).toBe(0);
    expect(current()).toMatch(/19\.0\.4-/);
    expect(await societe()).toBe(3);
    expect(r.text).toMatch(/discarded \(--discard-changes\):\n\s+llx_societe: \+1 rows/);
    const rec = await record();
    expect(rec.state).toBe('rolled-back');
    const last = rec.facts.lastRollback as {
      discardedChanges: {
        tables: Record<string, { added: number }>;
        documents: number;
        documentFiles: string[];
      };
      evidence: { dir: string; database: string; documents: string };
    };
    expect(last.discardedChanges.tables.llx_societe).toMatchObject({ added: 1 });
    expect(last.discardedChanges.documentFiles).toContain(document);
    expect(rec.rollbacks[0]!.reason).toMatch(/--discard-changes: .*llx_societe: \+1 rows/);
    expect(rec.rollbacks[0]!.reason).toContain(last.evidence.dir);
    // the evidence, in the backup root, named for the run, listed in the output
    expect(evidenceDirs()).toHaveLength(1);
    expect(last.evidence.dir).toBe(join(stack.plan.target.backupRoot, evidenceDirs()[0]!));
    expect(r.text).toContain(last.evidence.database);
    expect(r.text).toContain(last.evidence.documents);
    expect(readFileSync(last.evidence.database, 'utf8')).toContain('Zeta SAS');
    const listed = execFileSync('tar', ['-tzf', last.evidence.documents], { encoding: 'utf8' });
    expect(listed).toContain(`./${document}`);
    const content = execFileSync('tar', ['-xzOf', last.evidence.documents, `./${document}`], {
      encoding: 'utf8',
    });
    expect(content).toContain('contract of Zeta SAS');
  }, 300_000);

  it('a failed upgrade rolls itself back without the flag, and keeps the dump taken before its restore', async () => {
    const failing = `${id}-broken`;
    const kept = evidenceDirs().length;
    // in place (issue 19: by copy, a failed migration never touches the live database: nothing to restore)
    expect(await upgrade(failing, broken, true)).not.toBe(0);
    const rec = await record(failing);
    expect(rec.state).toBe('rolled-back');
    expect(await societe()).toBe(3);
    const dirs = evidenceDirs();
    expect(dirs).toHaveLength(kept + 1);
    const stamp = (rec.facts.lastFailedUpgrade as { backupStamp: string }).backupStamp;
    expect(dirs).toContain(`rollback-${stamp}`);
    // the dump is of the database as the failed migration left it (before the restore)
    const dump = readFileSync(
      join(stack.plan.target.backupRoot, `rollback-${stamp}`, 'database.sql'),
      'utf8',
    );
    expect(dump).toContain('llx_fixture_new_in_upgrade');
  }, 400_000);
});
