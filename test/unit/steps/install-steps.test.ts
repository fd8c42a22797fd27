import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/core/secret.js';
import { parseConfPhp } from '../../../src/dolibarr/conf-php.js';
import { checkModules } from '../../../src/steps/install/check-modules.js';
import { createDatabase } from '../../../src/steps/install/create-database.js';
import { installerStep1, installerStep2, installerStep5 } from '../../../src/steps/install/run-installer.js';
import { setPermissions } from '../../../src/steps/install/set-permissions.js';
import { switchCurrent } from '../../../src/steps/install/switch-current.js';
import { verifyRelease } from '../../../src/steps/install/verify-release.js';
import { lockConf, prepareConf } from '../../../src/steps/install/write-conf.js';
import { extractRelease } from '../../../src/steps/install/extract-release.js';
import type { Action } from '../../../src/steps/step.js';
import { knownSecrets, release, root, testContext } from './install-context.js';

const run = (a: Action | undefined) => {
  if (a?.kind !== 'run') throw new Error('expected a run action');
  return a.command;
};
const write = (a: Action | undefined) => {
  if (a?.kind !== 'write') throw new Error('expected a write action');
  return a.file;
};
const stdinText = (s: unknown) => (s instanceof Secret ? s.reveal() : String(s));

describe('install:verify-release', () => {
  it('checks the sha256 on the target through stdin, not argv', () => {
    const [a] = verifyRelease.plan(testContext());
    expect(run(a).argv).toEqual(['sha256sum', '--check', '--strict', '--status']);
    expect(run(a).stdin).toBe(`${'a'.repeat(64)}  /srv/releases/dolibarr-20.0.2.tgz\n`);
  });
  it("refuses a tarball whose version or sha256 is not the plan's, before anything changes", () => {
    expect(() => verifyRelease.plan(testContext({ releaseVersion: '19.0.4' }))).toThrow(
      /does not match the plan/,
    );
    expect(() => verifyRelease.plan(testContext({ releaseSha256: 'b'.repeat(64) }))).toThrow(
      /does not match/,
    );
    expect(() => verifyRelease.plan(testContext({ releaseVersion: undefined }))).toThrow(/does not match/);
  });
  it('refuses a URL release with a clear reason (the tarball must be on the target)', () => {
    const ctx = testContext(
      {},
      { dolibarr: { version: '20.0.2', release: 'https://example.org/dolibarr-20.0.2.tgz' } },
    );
    expect(() => verifyRelease.plan(ctx)).toThrow(/does not match/);
  });
  it('refuses a release with neither cron runner unless skipCron is chosen; the public page alone is enough (issue 14)', () => {
    const none = { releaseHasCronScript: false, releaseHasCronPage: false };
    expect(() => verifyRelease.plan(testContext(none))).toThrow(/does not match/);
    expect(verifyRelease.plan(testContext({ ...none, skipCron: true }))).toHaveLength(1);
    expect(verifyRelease.plan(testContext({ releaseHasCronScript: false, releaseHasCronPage: true }))).toHaveLength(1);
  });
});

describe('install:check-modules', () => {
  const plan = { customModules: [{ name: 'mokotest', source: '/srv/m/mokotest' }] };
  it('refuses a module needing a newer Dolibarr, with the reason', () => {
    const ctx = testContext(
      {
        customModules: [
          {
            name: 'mokotest',
            descriptor: { className: 'modMokoTest', depends: [], needDolibarrVersion: [21, 0] },
          },
        ],
      },
      plan,
    );
    expect(() => checkModules.plan(ctx)).toThrow(/not compatible/);
    try {
      checkModules.plan(ctx);
    } catch (e) {
      expect((e as { details: string[] }).details).toEqual([
        'modMokoTest needs Dolibarr >= 21.0, release is 20.0.2',
      ]);
    }
  });
  it('refuses a module without a descriptor and passes a compatible one with no action', () => {
    expect(() => checkModules.plan(testContext({ customModules: [{ name: 'mokotest' }] }, plan))).toThrow(
      /not compatible/,
    );
    const ok = testContext(
      {
        customModules: [
          { name: 'mokotest', descriptor: { className: 'modMokoTest', depends: [], phpmin: [8, 1] } },
        ],
      },
      plan,
    );
    expect(checkModules.plan(ok)).toEqual([]);
  });
});

describe('install:extract-release and install:switch-current', () => {
  it('extracts into releases/<version>-<stamp> stripping dolibarr-X.Y.Z/', () => {
    const actions = extractRelease.plan(testContext());
    expect(run(actions[2]).argv).toEqual([
      'tar',
      '-xzf',
      '/srv/releases/dolibarr-20.0.2.tgz',
      '-C',
      release,
      '--strip-components=1',
      '--no-same-owner',
    ]);
    expect(write(actions[3]).path).toBe(`${release}/.mokodeploy-extracted`);
  });
  it('switches current atomically with a relative symlink and rename', () => {
    const [a, b] = switchCurrent.plan(testContext());
    expect(run(a).argv).toEqual(['ln', '-sfn', 'releases/20.0.2-20261127100000', `${root}/current.new`]);
    expect(run(b).argv).toEqual(['mv', '-Tf', `${root}/current.new`, `${root}/current`]);
  });
});

describe('install:set-permissions', () => {
  it('uses the policy modes 755/644, root-owned code, web-owned data root 750', () => {
    const argvs = setPermissions.plan(testContext()).map((a) => run(a).argv);
    expect(argvs).toContainEqual(['find', '-P', release, '-type', 'd', '-exec', 'chmod', '755', '{}', '+']);
    expect(argvs).toContainEqual(['find', '-P', release, '-type', 'f', '-exec', 'chmod', '644', '{}', '+']);
    expect(argvs).toContainEqual(['chown', '-R', 'root:root', release]);
    expect(argvs).toContainEqual(['chown', 'www-data:www-data', '/var/lib/mokocrm/acme/documents']);
    expect(argvs).toContainEqual(['chmod', '750', '/var/lib/mokocrm/acme/documents']);
  });
});

describe('install:database', () => {
  it('pipes utf8mb4 DDL with the generated password to mariadb on stdin', () => {
    const [a] = createDatabase.plan(testContext());
    expect(run(a).argv).toEqual(['mariadb', '--batch']);
    const sql = stdinText(run(a).stdin);
    expect(run(a).stdin).toBeInstanceOf(Secret);
    expect(sql).toContain(
      'CREATE DATABASE IF NOT EXISTS `acme_crm` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;',
    );
    expect(sql).toContain(
      `CREATE USER IF NOT EXISTS 'acme'@'localhost' IDENTIFIED BY '${knownSecrets['acme/db']}';`,
    );
    expect(sql).toContain("GRANT ALL PRIVILEGES ON `acme_crm`.* TO 'acme'@'localhost';");
  });
  it('passes an admin password through a 0600 option file, removed afterwards', () => {
    const ctx = testContext(
      {},
      {
        database: { admin: { user: 'dbadmin', password: { secret: 'acme/dbadmin' } }, host: 'db.acme.test' },
      },
    );
    const [file, cmd, rm] = createDatabase.plan(ctx);
    const optionFile = `${root}/shared/conf/.db-admin.cnf`;
    expect(write(file)).toMatchObject({ path: optionFile, mode: 0o600, owner: 'root' });
    expect(stdinText(write(file).content)).toContain(`password="${knownSecrets['acme/dbadmin']}"`);
    expect(run(cmd).argv).toEqual([
      'mariadb',
      `--defaults-extra-file=${optionFile}`,
      '--host=db.acme.test',
      '--port=3306',
      '--batch',
    ]);
    expect(stdinText(run(cmd).stdin)).toContain("'acme'@'%'");
    expect(run(rm).argv).toEqual(['rm', '-f', optionFile]);
  });
});

describe('conf.php steps', () => {
  it('writes it writable for the installer (0600 web user), then 0440 root:www-data', () => {
    const [first, link] = prepareConf.plan(testContext());
    expect(write(first)).toMatchObject({
      path: `${root}/shared/conf/conf.php`,
      mode: 0o600,
      owner: 'www-data',
    });
    expect(run(link).argv).toEqual([
      'ln',
      '-sfn',
      `${root}/shared/conf/conf.php`,
      `${release}/htdocs/conf/conf.php`,
    ]);
    const [locked, , htdocsLock, worldWritable] = lockConf.plan(testContext());
    expect(run(worldWritable).argv).toEqual([
      'find',
      '-P',
      '/var/lib/mokocrm/acme/documents',
      '(',
      '-type',
      'f',
      '-o',
      '-type',
      'd',
      ')',
      '-perm',
      '-o+w',
      '-exec',
      'chmod',
      'o-w',
      '{}',
      '+',
    ]);
    expect(write(locked)).toMatchObject({ mode: 0o440, owner: 'root', group: 'www-data' });
    expect(write(htdocsLock)).toMatchObject({
      path: `${release}/htdocs/install.lock`,
      mode: 0o444,
      owner: 'root',
    });
    const conf = parseConfPhp(stdinText(write(locked).content));
    expect(conf.db.characterSet).toBe('utf8mb4');
    expect(conf.db.collation).toBe('utf8mb4_unicode_ci');
    expect(conf.documentRoot).toBe(`${root}/current/htdocs`);
    expect(conf.dataRoot).toBe('/var/lib/mokocrm/acme/documents');
    expect(conf.prod).toBe(true);
    expect(conf.instanceUniqueId.reveal()).toBe(knownSecrets['acme/instance-unique-id']);
  });
  it('keeps the instance unique id of an existing conf.php', () => {
    const existing = parseConfPhp("<?php\n$dolibarr_main_instance_unique_id='KeepThisIdForever42';\n");
    const [locked] = lockConf.plan(testContext({ existingConf: existing }));
    expect(parseConfPhp(stdinText(write(locked).content)).instanceUniqueId.reveal()).toBe(
      'KeepThisIdForever42',
    );
  });
});

describe('installer pages', () => {
  const ctx = testContext();
  const request = (a: Action | undefined) =>
    JSON.parse(stdinText(run(a).stdin)) as { page: string; args: string[] };

  it('runs step1 as the web user in htdocs/install with the arguments of step1.php l.36-61 on stdin', () => {
    const [a] = installerStep1.plan(ctx);
    expect(run(a)).toMatchObject({
      argv: ['php', `${root}/shared/mokodeploy/run-install-page.php`],
      cwd: `${release}/htdocs/install`,
      asUser: 'www-data',
    });
    expect(request(a)).toEqual({
      page: 'step1.php',
      args: [
        'set',
        'fr_FR',
        `${root}/current/htdocs`,
        '/var/lib/mokocrm/acme/documents',
        'https://crm.acme.test',
        '',
        '',
        'mysqli',
        'localhost',
        'acme_crm',
        'acme',
        knownSecrets['acme/db'],
        '3306',
        'llx_',
        '',
        '',
      ],
    });
  });
  it('runs step2 with set LANG and step5 with 0 0 LANG set LOGIN PASS PASS 444, then checks install.lock', () => {
    expect(request(installerStep2.plan(ctx)[0])).toEqual({ page: 'step2.php', args: ['set', 'fr_FR'] });
    const [five, lock] = installerStep5.plan(ctx);
    const pass = knownSecrets['acme/admin'];
    expect(request(five)).toEqual({
      page: 'step5.php',
      args: ['0', '0', 'fr_FR', 'set', 'admin', pass, pass, '444'],
    });
    expect(run(lock).argv).toEqual(['test', '-e', '/var/lib/mokocrm/acme/documents/install.lock']);
  });
});
