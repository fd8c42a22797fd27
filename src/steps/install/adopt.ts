import { dirname } from 'node:path';
import type { Host } from '../../hosts/host.js';
import { parseConfPhp, type ConfPhp } from '../../dolibarr/conf-php.js';
import { targetLayout } from '../../dolibarr/layout.js';
import { ownConfMarker } from '../upgrade-copy/release-conf.js';
import { readDolVersion } from '../../dolibarr/version.js';
import { versionArray, versionCompare } from '../../dolibarr/versioncompare.js';

/**
 * Adopt an install laid out as in the policy's snippets (/var/www/html/dolibarr/{htdocs,documents}):
 * detect its version (files), its conf.php and its database version (llx_const MAIN_VERSION_*, entity 0;
 * database version = max(LAST_UPGRADE, LAST_INSTALL) as Dolibarr's docker-run.sh computes it), and
 * return the facts to record. Reads only.
 */
export interface AdoptedInstall {
  root: string;
  htdocs: string;
  /** DOL_VERSION of the files. */
  filesVersion?: string;
  conf?: ConfPhp;
  confPath: string;
  dataRoot?: string;
  installLock: boolean;
  database: {
    reachable: boolean;
    error?: string;
    /** $dolibarr_main_db_name as the release's conf.php sets it (its own conf.php included, issue 19). */
    name?: string;
    firstInstall?: string;
    lastInstall?: string;
    lastUpgrade?: string;
    version?: string;
  };
}

// Reads the DB credentials from conf.php itself, so no password crosses argv or our process.
const readDbVersionPhp = [
  'include $argv[1];',
  'mysqli_report(MYSQLI_REPORT_OFF);', // PHP 8.1+ throws on a failed connection: the error is reported as JSON instead
  '$m = @new mysqli($dolibarr_main_db_host, $dolibarr_main_db_user, $dolibarr_main_db_pass, $dolibarr_main_db_name, (int) $dolibarr_main_db_port);',
  'if ($m->connect_errno) { echo json_encode(array("error" => $m->connect_error, "db_name" => $dolibarr_main_db_name)); exit(1); }',
  '$r = $m->query("SELECT name, value FROM ".$dolibarr_main_db_prefix."const WHERE entity = 0 AND name LIKE \'MAIN_VERSION_%\'");',
  // issue 19: the database the served release names (an upgrade by copy moves it to <name>_mk<stamp>)
  '$out = array("db_name" => $dolibarr_main_db_name); while ($r && ($o = $r->fetch_object())) { $out[$o->name] = $o->value; }',
  'echo json_encode($out);',
].join(' ');

export async function detectExistingInstall(
  host: Host,
  root = '/var/www/html/dolibarr',
  /**
   * Who runs PHP on conf.php: the site's web user when known (it can read conf.php, and conf.php is code the web
   * user may be able to change: never executed as root when it can be avoided); root otherwise (a bare look).
   */
  phpUser?: string,
): Promise<AdoptedInstall | undefined> {
  const htdocs = `${root}/htdocs`;
  const read = async (path: string) => {
    try {
      return (await host.readFile(path)).toString('utf8');
    } catch {
      return undefined;
    }
  };
  const filefunc = await read(`${htdocs}/filefunc.inc.php`);
  if (filefunc === undefined) return undefined;
  const confPath = `${htdocs}/conf/conf.php`;
  const confText = await read(confPath);
  const settings = confText ? await sharedConfText(confText, root, read) : undefined;
  const conf = settings ? parseConfPhp(settings) : undefined;
  const dataRoot = conf?.dataRoot;
  const lock = dataRoot
    ? await host.run({ sudo: true, argv: ['test', '-e', `${dataRoot}/install.lock`] })
    : undefined;
  return {
    root,
    htdocs,
    filesVersion: readDolVersion({ filefunc, versionInc: await read(`${htdocs}/version.inc.php`) }),
    conf,
    confPath,
    dataRoot,
    installLock: lock?.code === 0,
    database: conf
      ? await readDatabaseVersion(host, confPath, phpUser)
      : { reachable: false, error: 'no conf.php' },
  };
}

/**
 * Issue 19: a release's own conf.php (src/steps/upgrade-copy/release-conf.ts) sets no connection itself; it requires
 * the shared one, whose settings are the site's. Followed only to the shared conf.php of this layout
 * (<root>/../shared/conf/conf.php): the file is the target's, so its require is not a path we read blindly.
 */
async function sharedConfText(
  text: string,
  root: string,
  read: (path: string) => Promise<string | undefined>,
): Promise<string> {
  if (!text.includes(ownConfMarker)) return text;
  const required = /^require '((?:[^'\\]|\\.)*)';$/m.exec(text)?.[1]?.replace(/\\(['\\])/g, '$1');
  const shared = targetLayout(dirname(root), '', 'unused').confPhp;
  return required === shared ? ((await read(shared)) ?? text) : text;
}

async function readDatabaseVersion(
  host: Host,
  confPath: string,
  phpUser: string | undefined,
): Promise<AdoptedInstall['database']> {
  const who = phpUser ? { asUser: phpUser } : { sudo: true };
  const r = await host.run({ ...who, argv: ['php', '-r', readDbVersionPhp, '--', confPath] });
  let parsed: Record<string, string> = {};
  try {
    parsed = JSON.parse(r.stdout) as Record<string, string>;
  } catch {
    return { reachable: false, error: r.stderr.trim() || 'unreadable answer' };
  }
  const name = typeof parsed.db_name === 'string' ? parsed.db_name : undefined;
  if (r.code !== 0) return { reachable: false, error: parsed.error, name };
  const lastInstall = parsed.MAIN_VERSION_LAST_INSTALL;
  const lastUpgrade = parsed.MAIN_VERSION_LAST_UPGRADE;
  const candidates = [lastInstall, lastUpgrade].filter((v): v is string => !!v);
  const version = candidates.sort((a, b) => versionCompare(versionArray(b), versionArray(a)))[0];
  return {
    reachable: true,
    name,
    firstInstall: parsed.MAIN_VERSION_FIRST_INSTALL,
    lastInstall,
    lastUpgrade,
    version,
  };
}
