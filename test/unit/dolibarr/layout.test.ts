import { describe, expect, it } from 'vitest';
import { releaseName, releaseStamp, targetLayout } from '../../../src/dolibarr/layout.js';
import { installLanguage, step1Args, step5Args } from '../../../src/dolibarr/installer.js';
import { Secret } from '../../../src/core/secret.js';

describe('target layout (DESIGN.md "On the target")', () => {
  const l = targetLayout(
    '/var/www/mokocrm/acme',
    '/var/lib/mokocrm/acme/documents',
    releaseName('20.0.2', releaseStamp(new Date('2026-11-27T10:00:00Z'))),
  );
  it('puts releases, current, shared conf and the data root where the design says', () => {
    expect(l.releaseDir).toBe('/var/www/mokocrm/acme/releases/20.0.2-20261127100000');
    expect(l.currentHtdocs).toBe('/var/www/mokocrm/acme/current/htdocs');
    expect(l.confPhp).toBe('/var/www/mokocrm/acme/shared/conf/conf.php');
    expect(l.releaseConfPhp).toBe(
      '/var/www/mokocrm/acme/releases/20.0.2-20261127100000/htdocs/conf/conf.php',
    );
    expect(l.installLock).toBe('/var/lib/mokocrm/acme/documents/install.lock');
    expect(l.upgradeUnlock).toBe('/var/lib/mokocrm/acme/documents/upgrade.unlock');
  });
});

describe('installer arguments', () => {
  it('step1: 16 positional arguments, password at 12 (index 11), root credentials empty', () => {
    const args = step1Args({
      lang: 'en_US',
      documentRoot: '/r/current/htdocs',
      dataRoot: '/d',
      urlRoot: 'https://x',
      dbType: 'mysqli',
      dbHost: 'localhost',
      dbName: 'n',
      dbUser: 'u',
      dbPassword: new Secret('pw-123456'),
      dbPort: 3306,
      dbPrefix: 'llx_',
    });
    expect(args).toHaveLength(16);
    expect(args[11]).toBe('pw-123456');
    expect(args.slice(5, 7)).toEqual(['', '']);
  });
  it('step5: 0 0 LANG set LOGIN PASS PASS LOCKMODE', () => {
    expect(step5Args('en_US', 'admin', new Secret('pw-654321'))).toEqual([
      '0',
      '0',
      'en_US',
      'set',
      'admin',
      'pw-654321',
      'pw-654321',
      '444',
    ]);
  });
  it('maps the company country to an install language, en_US otherwise', () => {
    expect(installLanguage('FR')).toBe('fr_FR');
    expect(installLanguage('JP')).toBe('en_US');
  });
});
