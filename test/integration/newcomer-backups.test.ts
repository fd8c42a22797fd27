import { chmodSync, mkdirSync, mkdtempSync, readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runValidation } from '../../src/checks/run-validation.js';
import { backupsCheck } from '../../src/checks/backups.js';
import { LocalHost } from '../../src/hosts/local.js';
import { loadPolicy } from '../../src/policy/load.js';
import { plan as planOf } from '../helpers/records.js';

/** Issue 14 point 10: Debian's package-database backup is not this client's backup. */
const policy = loadPolicy();
const dir = mkdtempSync(join(tmpdir(), 'moko-backups-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// the real /etc/cron.daily/dpkg when this machine has it (Debian), else its text as Debian ships it
const dpkg = existsSync('/etc/cron.daily/dpkg')
  ? readFileSync('/etc/cron.daily/dpkg', 'utf8')
  : '#!/bin/sh\n\n# Skip if systemd is running.\nif [ -d /run/systemd/system ]; then\n  exit 0\nfi\n\n/usr/libexec/dpkg/dpkg-db-backup\n';

async function schedule(files: Record<string, string>, root?: string) {
  const cron = mkdtempSync(join(dir, 'cron-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(cron, name), text);
  const backupRoot = join(dir, 'backups');
  mkdirSync(backupRoot, { recursive: true });
  writeFileSync(join(backupRoot, 'db.sql.gz'), 'x');
  const base = planOf();
  const plan = { ...base, target: { ...base.target, backupRoot, ...(root ? { root } : {}) } };
  const r = await runValidation(
    { plan, options: { cronPaths: [cron] }, host: new LocalHost() },
    { policy, checks: [backupsCheck] },
  );
  return r.findings.find((f) => f.checkId === 'backups.schedule')!;
}

describe('backups.schedule passes only on a backup of this client', () => {
  it("fails on /etc/cron.daily/dpkg alone, naming it as not this client's", async () => {
    expect(dpkg).toMatch(/backup/i);
    const f = await schedule({ dpkg });
    expect(f.status).toBe('fail');
    expect(f.detail).toMatch(/not this client's backup: .*dpkg/);
    expect(f.remediation).toContain('mokodeploy backup acme-2026-12');
  });

  it("fails on another client's mokodeploy backup, passes on this client's", async () => {
    expect((await schedule({ other: '15 3 * * * root mokodeploy backup globex-2026-12\n' })).status).toBe(
      'fail',
    );
    expect((await schedule({ commented: '# 15 3 * * * root mokodeploy backup acme-2026-12\n' })).status).toBe(
      'fail',
    );
    const ours = await schedule({
      dpkg,
      'mokocrm-acme': '15 3 * * * root /usr/local/bin/mokodeploy backup acme-2026-12\n',
    });
    expect(ours.status).toBe('pass');
    expect(ours.observed).toMatch(/cron \S+\/mokocrm-acme$/);
  });

  it("passes on another tool's job naming the client's database and documents", async () => {
    const line =
      '30 2 * * * root /usr/local/bin/site-backup --db mokocrm_acme --files /var/lib/mokocrm/acme/documents\n';
    expect((await schedule({ 'site-backup': line })).status).toBe('pass');
    // the database alone (no documents, no backupRoot) is not enough
    expect((await schedule({ 'db-only': '30 2 * * * root dump-backup mokocrm_acme\n' })).status).toBe('fail');
  });

  it.runIf(process.getuid?.() === 0)(
    "after an upgrade by copy, a job dumping the plan's database name backs up the old release's archive: fail",
    async () => {
      // the served release's conf.php names the migrated copy (src/steps/upgrade-copy: the switch is `current`)
      const root = mkdtempSync(join(dir, 'site-'));
      const conf = join(root, 'current', 'htdocs', 'conf');
      mkdirSync(conf, { recursive: true });
      for (const d of [dir, root, join(root, 'current'), join(root, 'current', 'htdocs'), conf])
        chmodSync(d, 0o755);
      writeFileSync(
        join(conf, 'conf.php'),
        "<?php\n$dolibarr_main_db_name = 'mokocrm_acme_mk20261201093000';\n",
        {
          mode: 0o644,
        },
      );
      const docs = '/var/lib/mokocrm/acme/documents';
      const stale = await schedule(
        { 'site-backup': `30 2 * * * root /usr/local/bin/site-backup --db mokocrm_acme --files ${docs}\n` },
        root,
      );
      expect(stale.status).toBe('fail');
      expect(stale.observed).toContain('mokocrm_acme_mk20261201093000');
      expect(stale.detail).toMatch(/dumps mokocrm_acme, which is no longer the live database/);
      expect(stale.remediation).toContain('mokodeploy backup acme-2026-12');
      const followed = await schedule(
        {
          'site-backup': `30 2 * * * root /usr/local/bin/site-backup --db mokocrm_acme_mk20261201093000 --files ${docs}\n`,
        },
        root,
      );
      expect(followed.status).toBe('pass');
      // ours follows the live database by itself
      expect(
        (await schedule({ ours: '15 3 * * * root mokodeploy backup acme-2026-12\n' }, root)).status,
      ).toBe('pass');
    },
  );
});
