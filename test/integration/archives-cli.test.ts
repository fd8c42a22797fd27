import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseStamp } from '../../src/dolibarr/layout.js';
import { SecretStore } from '../../src/store/secrets.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { teamYaml } from '../helpers/cli.js';
import { startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { upgradeCliWorkspace } from '../helpers/upgrade/cli-workspace.js';

/**
 * Issue 19, retention of the schemas upgrades by copy leave, through the CLI on a real MariaDB: `archives` lists
 * them with retention's decision and changes nothing; --prune --dry-run neither; --prune drops what retention gave
 * up (an older archive, a failed schema past its days), keeps the live schema, the newest archive (hypercare not
 * started: a rollback may need it) and a recent failed one, and records what it dropped (audited).
 */
let stack: InstallStack;
const ws = upgradeCliWorkspace('moko-archives-cli-');
const { out, home, env, cli } = ws;
const id = 'acme-archives';
const cliChild = fileURLToPath(new URL('../helpers/upgrade/cli-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const q = (sql: string) => stack.db.rootClient.query(sql);
const schemas = async () => (await q("SHOW DATABASES LIKE 'acme\\_crm%'")).map((r) => r[0]).sort();
const daysAgo = (d: number) => releaseStamp(new Date(Date.now() - d * 86_400_000));
const newest = `acme_crm_mkold${daysAgo(3)}`;
const older = `acme_crm_mkold${daysAgo(40)}`;
const failedOld = `acme_crm_mkbad${daysAgo(30)}`;
const failedRecent = `acme_crm_mkbad${daysAgo(1)}`;

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

beforeAll(async () => {
  const old = buildFixtureRelease({ version: '19.0.4' }, join(out, 'old'));
  const next = buildFixtureRelease({ version: '20.0.2' }, join(out, 'new'));
  stack = await startInstallStack({ release: old.tarball, version: old.version, sha256: old.sha256 });
  writeFileSync(join(out, 'team.yaml'), teamYaml);
  const secrets = new SecretStore(home, env.MOKODEPLOY_SECRET_KEY_FILE);
  for (const name of ['acme/db', 'acme/admin']) secrets.set(name, stack.secrets.secret(name));
  expect(await cli('plan', 'submit', ws.writeUpgradePlan(stack.plan, next, id), '--as', 'tina')).toBe(0);
  for (const s of [newest, older, failedOld, failedRecent, 'acme_crm_mkcopy'])
    await q(`CREATE DATABASE \`${s}\``);
  await q(`CREATE TABLE \`${older}\`.llx_societe (rowid integer PRIMARY KEY)`);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

describe('mokodeploy archives', () => {
  const all = () => ['acme_crm', 'acme_crm_mkcopy', newest, older, failedOld, failedRecent].sort();

  it('lists every archive with its decision and why; changes nothing', async () => {
    const r = await cliOut('archives', id, '--as', 'tina');
    expect(r.code, r.text).toBe(0);
    expect(r.text).toContain('live database acme_crm; 4 archive(s)');
    expect(r.text).toMatch(
      new RegExp(`keep\\s+${newest} \\(left\\): the newest archive: a rollback may still need it`),
    );
    expect(r.text).toMatch(new RegExp(`would drop\\s+${older} \\(left\\)`));
    expect(r.text).toMatch(new RegExp(`would drop\\s+${failedOld} \\(failed\\)`));
    expect(r.text).toMatch(new RegExp(`keep\\s+${failedRecent} \\(failed\\)`));
    expect(r.text).not.toContain('acme_crm_mkcopy');
    expect(await schemas()).toEqual(all());
  }, 120_000);

  it('--prune --dry-run drops nothing; bad retention input is refused with the flag and changes nothing', async () => {
    const dry = await cliOut('archives', id, '--prune', '--dry-run', '--as', 'tina');
    expect(dry.code, dry.text).toBe(0);
    expect(dry.text).toContain('would drop');
    const bad = await cliOut('archives', id, '--prune', '--keep', '2x', '--as', 'tina');
    expect(bad.code).not.toBe(0);
    expect(bad.text).toContain('--keep: expected a number');
    expect(await schemas()).toEqual(all());
  }, 120_000);

  it('--prune drops what retention gave up, keeps the live one, the newest and a recent failed one; audited', async () => {
    const r = await cliOut('archives', id, '--prune', '--as', 'tina');
    expect(r.code, r.text).toBe(0);
    expect(await schemas()).toEqual(['acme_crm', 'acme_crm_mkcopy', newest, failedRecent].sort());
    const rec = await ws.record(id);
    const pruned = rec.facts.archivesPruned as { dropped: string[]; live: string };
    expect(pruned.dropped.sort()).toEqual([older, failedOld].sort());
    expect(pruned.live).toBe('acme_crm');
    const store = new SqliteStore(join(home, 'mokodeploy.sqlite'));
    try {
      const audit = (await store.auditEntries()).filter(
        (e) => e.deploymentId === id && e.action === 'record-facts',
      );
      expect(JSON.stringify(audit.at(-1))).toContain(older);
    } finally {
      await store.close();
    }
    // again: nothing left to drop
    const again = await cliOut('archives', id, '--prune', '--as', 'tina');
    expect(again.text).not.toContain('dropped');
  }, 120_000);
});
