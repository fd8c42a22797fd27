import { posix } from 'node:path';

/**
 * Where things live on the target (DESIGN.md "On the target"):
 *   <root>/releases/<version>-<stamp>/      an extracted release (dolibarr-X.Y.Z/ stripped) + custom modules
 *   <root>/current -> releases/<...>         what the web server serves, switched atomically
 *   <root>/shared/conf/conf.php              one conf.php for every release (0440 root:<web group>)
 *   <root>/shared/mokodeploy/                our own small PHP scripts (not Dolibarr code)
 *   <dataRoot>                               $dolibarr_main_data_root (documents), outside the web root
 * Each release's htdocs/conf/conf.php is a symlink to the shared one, because Dolibarr hard-codes
 * `$conffile = "conf/conf.php"` (htdocs/filefunc.inc.php) and the installer `../conf/conf.php` (install/inc.php).
 */
export interface TargetLayout {
  root: string;
  releasesDir: string;
  releaseName: string;
  releaseDir: string;
  htdocs: string;
  installDir: string;
  customDir: string;
  /** htdocs/conf/conf.php inside the release: a symlink to `confPhp`. */
  releaseConfPhp: string;
  currentLink: string;
  /** <root>/current/htdocs: the document root written into conf.php and the web server site. */
  currentHtdocs: string;
  sharedDir: string;
  sharedConfDir: string;
  confPhp: string;
  toolsDir: string;
  dataRoot: string;
  /** DOL_DATA_ROOT/install.lock (install/inc.php ~l.312). */
  installLock: string;
  upgradeUnlock: string;
  /** Release root's scripts/ (cron_run_jobs.php lives in scripts/cron/). */
  scriptsDir: string;
}

const join = posix.join;

export function releaseName(version: string, stamp: string): string {
  return `${version}-${stamp}`;
}

export function targetLayout(root: string, dataRoot: string, name: string): TargetLayout {
  const releasesDir = join(root, 'releases');
  const releaseDir = join(releasesDir, name);
  const htdocs = join(releaseDir, 'htdocs');
  const sharedDir = join(root, 'shared');
  const currentLink = join(root, 'current');
  return {
    root,
    releasesDir,
    releaseName: name,
    releaseDir,
    htdocs,
    installDir: join(htdocs, 'install'),
    customDir: join(htdocs, 'custom'),
    releaseConfPhp: join(htdocs, 'conf', 'conf.php'),
    currentLink,
    currentHtdocs: join(currentLink, 'htdocs'),
    sharedDir,
    sharedConfDir: join(sharedDir, 'conf'),
    confPhp: join(sharedDir, 'conf', 'conf.php'),
    toolsDir: join(sharedDir, 'mokodeploy'),
    dataRoot,
    installLock: join(dataRoot, 'install.lock'),
    upgradeUnlock: join(dataRoot, 'upgrade.unlock'),
    scriptsDir: join(releaseDir, 'scripts'),
  };
}

/** A stamp for release names: UTC yyyymmddHHMMSS. */
export function releaseStamp(at: Date): string {
  return at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
