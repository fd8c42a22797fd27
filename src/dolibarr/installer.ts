import { Secret } from '../core/secret.js';

/**
 * Positional arguments of Dolibarr's install pages when run by php-cli (DOLIBARR.md §2, §4).
 * The pages are run through our wrapper run-install-page.php, which takes {page, args} as JSON on stdin
 * (see php/run-install-page.ts), so the values below never reach argv.
 */

export interface Step1Input {
  lang: string;
  /** $main_dir: the htdocs directory written as $dolibarr_main_document_root. */
  documentRoot: string;
  dataRoot: string;
  urlRoot: string;
  dbType: 'mysqli' | 'pgsql';
  dbHost: string;
  dbName: string;
  dbUser: string;
  dbPassword: Secret;
  dbPort: number;
  dbPrefix: string;
}

// contract: htdocs/install/step1.php l.36-61 (20.0.2) argument order:
// 1 action, 2 lang, 3 main_dir, 4 main_data_dir, 5 main_url, 6 db_user_root, 7 db_pass_root, 8 db_type,
// 9 db_host, 10 db_name, 11 db_user, 12 db_pass, 13 db_port, 14 db_prefix, 15 db_create_database, 16 db_create_user.
// Root credentials and 15/16 stay empty: we create the database and its user ourselves (utf8mb4).
export function step1Args(a: Step1Input): string[] {
  return [
    'set',
    a.lang,
    a.documentRoot,
    a.dataRoot,
    a.urlRoot,
    '',
    '',
    a.dbType,
    a.dbHost,
    a.dbName,
    a.dbUser,
    a.dbPassword.reveal(),
    String(a.dbPort),
    a.dbPrefix,
    '',
    '',
  ];
}

// contract: htdocs/install/step2.php l.48-49: 1 action ('set'), 2 lang. Loads install/mysql/tables/*.sql, keys, data.
export function step2Args(lang: string): string[] {
  return ['set', lang];
}

// contract: htdocs/install/step5.php l.50-76: 1 versionfrom, 2 versionto ('0' is empty() in PHP: fresh install),
// 3 lang, 4 action ('set' = first install), 5 login, 6 pass, 7 pass_verif, 8 install lock mode (octal, e.g. 444:
// step5 then writes DATA_ROOT/install.lock, l.452-463).
export function step5Args(lang: string, login: string, password: Secret, lockMode = '444'): string[] {
  return ['0', '0', lang, 'set', login, password.reveal(), password.reveal(), lockMode];
}

/** The JSON our wrapper reads on stdin; a Secret because args may hold passwords. */
export function installPageRequest(
  page: 'step1.php' | 'step2.php' | 'step5.php' | 'upgrade.php' | 'upgrade2.php',
  args: string[],
): Secret {
  return new Secret(JSON.stringify({ page, args }));
}

/** Dolibarr language code from a plan (DOLIBARR.md §2: MAIN_LANG_DEFAULT is set by step5 from this). */
export function installLanguage(country: string): string {
  const byCountry: Record<string, string> = {
    FR: 'fr_FR',
    BE: 'fr_BE',
    CH: 'fr_CH',
    DE: 'de_DE',
    ES: 'es_ES',
    IT: 'it_IT',
    GB: 'en_GB',
    US: 'en_US',
    NL: 'nl_NL',
  };
  return byCountry[country] ?? 'en_US';
}
