import { Secret } from '../core/secret.js';
import { decodePhpString, phpString } from './php-literal.js';

/**
 * Dolibarr's conf.php (htdocs/conf/conf.php; template htdocs/conf/conf.php.example).
 * The variables and their order follow `write_conf_file()` in htdocs/install/step1.php (l.843-1000, 20.0.2),
 * with the deliberate differences the policy asks for (DOLIBARR.md §3, §10):
 *  - utf8mb4 / utf8mb4_unicode_ci (step1 writes utf8 / utf8_unicode_ci whatever the database uses);
 *  - `$dolibarr_main_prod='1'` (step1 writes '0');
 *  - the instance unique id comes from our CSPRNG once and is kept forever (step1 uses md5(uniqid(mt_rand())));
 *    it is the dolEncrypt() key (core/lib/security.lib.php, master.inc.php l.86) so it must never change.
 */
export interface ConfPhp {
  urlRoot: string;
  documentRoot: string;
  /** htdocs/custom; rendered as $dolibarr_main_url_root_alt='/custom'. */
  documentRootAlt: string;
  dataRoot: string;
  db: {
    type: 'mysqli' | 'pgsql';
    host: string;
    port: number;
    name: string;
    prefix: string;
    user: string;
    password: Secret;
    characterSet: string;
    collation: string;
  };
  instanceUniqueId: Secret;
  prod: boolean;
  forceHttps: boolean;
  /** Comma list of OS commands Dolibarr may run (backups), step1 default. */
  restrictOsCommands?: string;
}

export const defaultRestrictOsCommands =
  'mariadb-dump, mariadb, mysqldump, mysql, pg_dump, pg_restore, clamdscan, clamdscan.exe';

/** A marker on the first comment line so our own conf.php is recognisable (adopt, isDone probes). */
export const confPhpMarker = '// Written by mokodeploy';

/** Render conf.php. The result holds the database password and the encryption key, hence a Secret. */
export function renderConfPhp(conf: ConfPhp): Secret {
  const line = (name: string, value: string) => `$${name}=${phpString(value)};`;
  const text = [
    '<?php',
    confPhpMarker,
    '// Same variables as htdocs/install/step1.php write_conf_file(); see htdocs/conf/conf.php.example.',
    '//',
    line('dolibarr_main_url_root', conf.urlRoot),
    line('dolibarr_main_document_root', conf.documentRoot),
    line('dolibarr_main_url_root_alt', '/custom'),
    line('dolibarr_main_document_root_alt', conf.documentRootAlt),
    line('dolibarr_main_data_root', conf.dataRoot),
    line('dolibarr_main_db_host', conf.db.host),
    line('dolibarr_main_db_port', String(conf.db.port)),
    line('dolibarr_main_db_name', conf.db.name),
    line('dolibarr_main_db_prefix', conf.db.prefix),
    line('dolibarr_main_db_user', conf.db.user),
    line('dolibarr_main_db_pass', conf.db.password.reveal()),
    line('dolibarr_main_db_type', conf.db.type),
    line('dolibarr_main_db_character_set', conf.db.characterSet),
    line('dolibarr_main_db_collation', conf.db.collation),
    '// Authentication settings',
    line('dolibarr_main_authentication', 'dolibarr'),
    '// Security settings',
    line('dolibarr_main_prod', conf.prod ? '1' : '0'),
    line('dolibarr_main_force_https', conf.forceHttps ? '1' : '0'),
    line('dolibarr_main_restrict_os_commands', conf.restrictOsCommands ?? defaultRestrictOsCommands),
    line('dolibarr_nocsrfcheck', '0'),
    line('dolibarr_main_instance_unique_id', conf.instanceUniqueId.reveal()),
    line('dolibarr_mailing_limit_sendbyweb', '0'),
    line('dolibarr_mailing_limit_sendbycli', '0'),
    line('dolibarr_main_distrib', 'standard'),
    '',
  ].join('\n');
  return new Secret(text);
}

/** Every `$dolibarr_*` / `$force_*` assignment of a conf.php that is not commented out, decoded. */
export function readConfPhpVariables(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  const re =
    /^[ \t]*\$([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?[0-9.]+)|(true|false))\s*;/gm;
  for (const m of text.matchAll(re)) {
    const name = m[1]!;
    if (m[2] !== undefined) vars.set(name, decodePhpString(m[2], "'"));
    else if (m[3] !== undefined) vars.set(name, decodePhpString(m[3], '"'));
    else vars.set(name, m[4] ?? (m[5] === 'true' ? '1' : ''));
  }
  return vars;
}

/** What we need from an existing conf.php (adopt, upgrade, re-deploy keeping the unique id). */
export function parseConfPhp(text: string): ConfPhp {
  const v = readConfPhpVariables(text);
  const get = (name: string, fallback = '') => v.get(`dolibarr_main_${name}`) ?? fallback;
  const type = get('db_type', 'mysqli');
  return {
    urlRoot: get('url_root'),
    documentRoot: get('document_root'),
    documentRootAlt: get('document_root_alt', `${get('document_root')}/custom`),
    dataRoot: get('data_root', `${get('document_root')}/documents`),
    db: {
      type: type === 'pgsql' ? 'pgsql' : 'mysqli',
      host: get('db_host', 'localhost'),
      port: Number(get('db_port', '3306')) || 3306,
      name: get('db_name'),
      prefix: get('db_prefix', 'llx_'),
      user: get('db_user'),
      // crypted:/dolcrypt: values are decoded by filefunc.inc.php (~l.495); we keep them as found.
      password: new Secret(get('db_pass')),
      characterSet: get('db_character_set', 'utf8'),
      collation: get('db_collation', 'utf8_unicode_ci'),
    },
    // Before instance_unique_id existed, Dolibarr used $dolibarr_main_cookie_cryptkey (master.inc.php l.86).
    instanceUniqueId: new Secret(get('instance_unique_id') || get('cookie_cryptkey')),
    prod: get('prod', '0') === '1',
    forceHttps: get('force_https', '0') !== '0' && get('force_https') !== '',
    restrictOsCommands: v.get('dolibarr_main_restrict_os_commands'),
  };
}
