import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHost } from '../../src/hosts/local.js';
import { detectExistingInstall } from '../../src/steps/install/adopt.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { startMariadb, type Mariadb } from '../helpers/services/mariadb.js';
import { makeTempDir, removeDir } from '../helpers/services/process.js';

/**
 * Adopt an install made the policy-snippet way (DESIGN.md: /var/www/html/dolibarr with htdocs/ and documents/,
 * installed by Dolibarr's own pages with argv, conf.php written by step1), here under a temp dir.
 */
let db: Mariadb;
let dir: string;
let root: string;

beforeAll(async () => {
  db = await startMariadb();
  dir = makeTempDir('adopt');
  chmodSync(dir, 0o755);
  const fixture = buildFixtureRelease({ version: '19.0.4' }, join(dir, 'release'));
  const html = join(dir, 'var/www/html');
  mkdirSync(html, { recursive: true });
  execFileSync('tar', ['-xzf', fixture.tarball, '-C', html]);
  root = join(html, 'dolibarr');
  execFileSync('mv', [join(html, 'dolibarr-19.0.4'), root]);
  mkdirSync(join(root, 'documents'));
  writeFileSync(join(root, 'htdocs/conf/conf.php'), '');
  await db.rootClient.query(
    "CREATE DATABASE dolibarr; CREATE USER 'doli'@'127.0.0.1' IDENTIFIED BY 'doli-pass-1'; GRANT ALL ON dolibarr.* TO 'doli'@'127.0.0.1'",
  );
  const install = join(root, 'htdocs/install');
  const php = (args: string[]) => execFileSync('php', args, { cwd: install });
  php([
    'step1.php',
    'set',
    'en_US',
    join(root, 'htdocs'),
    join(root, 'documents'),
    'http://localhost',
    '',
    '',
    'mysqli',
    '127.0.0.1',
    'dolibarr',
    'doli',
    'doli-pass-1',
    String(db.port),
    'llx_',
  ]);
  php(['step2.php', 'set', 'en_US']);
  php(['step5.php', '0', '0', 'en_US', 'set', 'admin', 'admin-pass-1', 'admin-pass-1', '444']);
}, 120_000);

afterAll(async () => {
  await db?.stop();
  if (dir) removeDir(dir);
});

describe('detectExistingInstall on /var/www/html/dolibarr', () => {
  it('returns the files version, conf.php, data root, lock and database version', async () => {
    const found = await detectExistingInstall(new LocalHost(), root);
    expect(found).toMatchObject({
      root,
      htdocs: join(root, 'htdocs'),
      filesVersion: '19.0.4',
      dataRoot: join(root, 'documents'),
      installLock: true,
      database: { reachable: true, version: '19.0.4', firstInstall: '19.0.4', lastInstall: '19.0.4' },
    });
    expect(found?.conf?.db).toMatchObject({
      name: 'dolibarr',
      user: 'doli',
      characterSet: 'utf8',
      port: db.port,
    });
    expect(found?.conf?.instanceUniqueId.reveal()).toMatch(/^[0-9a-f]{32}$/); // step1's md5 id, to keep
  });

  it('answers undefined where there is no Dolibarr', async () => {
    expect(await detectExistingInstall(new LocalHost(), join(dir, 'nothing'))).toBeUndefined();
  });
});
