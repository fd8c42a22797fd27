import type { Plan } from '../core/plan.js';
import type { Host } from '../hosts/host.js';
import { targetLayout } from '../dolibarr/layout.js';
import { detectExistingInstall } from '../steps/install/adopt.js';
import { isDeploymentDatabase, parseLiveDatabase } from './live-database.js';

/**
 * What is deployed on a target now, read without changing anything: the release `current` points at, the
 * version of its files, the version Dolibarr records for the database (llx_const MAIN_VERSION_LAST_UPGRADE /
 * LAST_INSTALL, read by adopt.ts with the credentials of conf.php itself) and the sha256 of the shared conf.php.
 */
export interface TargetState {
  /** Release directory name under releases/ that `current` points at. */
  currentRelease?: string;
  filesVersion?: string;
  dbVersion?: string;
  /** Issue 19: the database `current`'s conf.php names (after an upgrade by copy, not the plan's name). */
  liveDatabase?: string;
  dbReachable: boolean;
  dbError?: string;
  confSha256?: string;
  installLock: boolean;
}

export async function readTargetState(host: Host, plan: Plan): Promise<TargetState> {
  const layout = targetLayout(plan.target.root, plan.target.dataRoot, 'unused');
  const link = await host.run({ argv: ['readlink', layout.currentLink] });
  const currentRelease = link.code === 0 ? link.stdout.trim().replace(/^releases\//, '') : undefined;
  const sum = await host.run({ sudo: true, argv: ['sha256sum', '--', layout.confPhp] });
  const found = currentRelease
    ? await detectExistingInstall(host, layout.currentLink, plan.target.webUser)
    : undefined;
  return {
    currentRelease,
    filesVersion: found?.filesVersion,
    dbVersion: found?.database.version,
    liveDatabase: deploymentDatabaseOrNone(plan, found?.database.name),
    dbReachable: found?.database.reachable ?? false,
    dbError: found?.database.error,
    confSha256: sum.code === 0 ? sum.stdout.split(/\s+/)[0] : undefined,
    installLock: found?.installLock ?? false,
  };
}

/**
 * The name conf.php gives, only when it is this deployment's (the plan's name or `<name>_mk<stamp>`): conf.php is code
 * the web user may be able to change, and the name goes as root into the rollback's "drop every table of it, load the
 * dump", the backup's dump and the copy's CREATE/GRANT. Anything else (`mysql`, a name reading as a client option)
 * is not taken; steps then use the plan's name.
 */
function deploymentDatabaseOrNone(plan: Plan, name: string | undefined): string | undefined {
  const typed = name === undefined ? undefined : parseLiveDatabase(name);
  return typed !== undefined && isDeploymentDatabase(plan.database.name, typed) ? typed : undefined;
}
