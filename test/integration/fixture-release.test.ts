import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDolVersion } from '../../src/dolibarr/version.js';
import { buildFixtureRelease, fixtureFiles } from '../helpers/fixture-release/build.js';

/** The fixture release keeps Dolibarr's layout and install contract (what CI installs instead of Dolibarr). */
const out = mkdtempSync(join(tmpdir(), 'moko-fixture-contract-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function extract(version: string): string {
  const r = buildFixtureRelease({ version }, join(out, version));
  const dir = join(out, `x-${version}`);
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', r.tarball, '-C', dir]);
  return join(dir, `dolibarr-${version}`);
}

const php = (cwd: string, args: string[]) => spawnSync('php', args, { cwd, encoding: 'utf8' });

describe('fixture release', () => {
  it('has the release layout: dolibarr-X.Y.Z/{htdocs,scripts}, install pages, SQL, descriptors', () => {
    const files = Object.keys(fixtureFiles({ version: '20.0.2' }));
    for (const f of [
      'htdocs/filefunc.inc.php',
      'htdocs/master.inc.php',
      'htdocs/main.inc.php',
      'htdocs/index.php',
      'htdocs/conf/conf.php.example',
      'htdocs/install/inc.php',
      'htdocs/install/step1.php',
      'htdocs/install/step2.php',
      'htdocs/install/step5.php',
      'htdocs/install/upgrade.php',
      'htdocs/install/upgrade2.php',
      'htdocs/core/lib/admin.lib.php',
      'htdocs/install/mysql/tables/llx_societe.sql',
      'htdocs/install/mysql/migration/19.0.0-20.0.0.sql',
      'htdocs/core/modules/modSociete.class.php',
      'scripts/cron/cron_run_jobs.php',
      'htdocs/modulebuilder/template/core/modules/modMyModule.class.php',
    ]) {
      expect(files).toContain(f);
    }
  });

  it('carries its version in both layouts (filefunc.inc.php; version.inc.php from 23)', () => {
    for (const version of ['19.0.4', '20.0.2', '23.0.1']) {
      const f = fixtureFiles({ version });
      expect(
        readDolVersion({ filefunc: f['htdocs/filefunc.inc.php']!, versionInc: f['htdocs/version.inc.php'] }),
      ).toBe(version);
    }
    expect(fixtureFiles({ version: '23.0.1' })['htdocs/version.inc.php']).toBeDefined();
    expect(fixtureFiles({ version: '20.0.2' })['htdocs/version.inc.php']).toBeUndefined();
  });

  it('is ours: every PHP file says it is a fixture and not Dolibarr code, and each page cites its contract', () => {
    for (const [path, text] of Object.entries(fixtureFiles({ version: '20.0.2' }))) {
      if (!path.endsWith('.php')) continue;
      expect(text, path).toContain('mokodeploy fixture release');
      expect(text, path).toContain('Not Dolibarr code');
      if (path.includes('/install/step') || path.includes('upgrade'))
        expect(text, path).toMatch(/contract: htdocs\/install\/\S+ l\.\d+/);
    }
  });

  it('locks install pages with DATA_ROOT/install.lock and reopens only upgrade pages with upgrade.unlock (install/inc.php)', () => {
    const root = extract('20.0.2');
    const data = join(out, 'documents');
    mkdirSync(data, { recursive: true });
    writeFileSync(
      join(root, 'htdocs/conf/conf.php'),
      `<?php\n$dolibarr_main_document_root='${root}/htdocs';\n$dolibarr_main_data_root='${data}';\n$dolibarr_main_db_type='mysqli';\n$dolibarr_main_db_host='127.0.0.1';\n$dolibarr_main_db_port='1';\n$dolibarr_main_db_name='none';\n$dolibarr_main_db_user='none';\n$dolibarr_main_db_pass='';\n`,
    );
    const install = join(root, 'htdocs/install');
    writeFileSync(join(data, 'install.lock'), 'locked');
    expect(php(install, ['upgrade.php', '19.0.4', '20.0.2']).stdout).toContain('locked');
    expect(php(install, ['step2.php', 'set', 'en_US']).stdout).toContain('locked');
    writeFileSync(join(data, 'upgrade.unlock'), '');
    expect(php(install, ['upgrade.php', '19.0.4', '20.0.2']).stdout).not.toContain('locked');
    expect(php(install, ['step2.php', 'set', 'en_US']).stdout).toContain('locked');
  });

  it('step1 refuses a conf.php that is not writable (ConfFileIsNotWritable) and prints -h usage', () => {
    const root = extract('19.0.4');
    const install = join(root, 'htdocs/install');
    const r = php(install, ['step1.php', 'set', 'en_US']);
    expect(r.stdout).toContain('ConfFileIsNotWritable');
    expect(php(install, ['step1.php', '-h']).stdout).toContain('Usage');
    expect(readFileSync(join(root, 'htdocs/filefunc.inc.php'), 'utf8')).toContain(
      "define('DOL_VERSION', '19.0.4')",
    );
  });
});
