import { refused } from '../../core/errors.js';
import type { Plan } from '../../core/plan.js';
import type { Host } from '../../hosts/host.js';
import { freeStamp } from '../../backup/free-stamp.js';
import { readTargetState } from '../../backup/target-state.js';
import { targetLayout } from '../../dolibarr/layout.js';
import { parseConfPhp } from '../../dolibarr/conf-php.js';
import { installLanguage } from '../../dolibarr/installer.js';
import { versionArray, versionCompare } from '../../dolibarr/versioncompare.js';
import { gatherInstallFacts } from '../install/facts.js';
import type { InstallFacts } from '../install/context.js';
import type { UpgradeFacts } from './context.js';
import { migrationPasses } from './passes.js';
import { readRelease } from './read-release.js';
import { readWebhookFacts } from '../../integrations/webhook-found.js';

/**
 * Read what an upgrade plans from, changing nothing: the install facts of the new tarball (version, sha256, PHP,
 * custom modules, the existing conf.php), what runs now (release, file and database versions, conf.php checksum)
 * and the migration passes between the database's version and the new one. Refuses an upgrade that would go
 * backwards or whose database cannot be read.
 */
export async function gatherUpgradeFacts(
  host: Host,
  plan: Plan,
  extra: Partial<InstallFacts & UpgradeFacts> = {},
): Promise<InstallFacts & UpgradeFacts> {
  // the tarball read once, in one streaming pass (sha256, version, cron script), before any maintenance; not at all
  // when the caller has its facts (a dry run from the package in the store, or of a release not downloaded yet)
  const given = extra.releaseSha256 !== undefined && extra.releaseHasCronScript !== undefined;
  const read = given ? undefined : await readRelease(host, plan.dolibarr.release);
  const install = await gatherInstallFacts(host, plan, { ...read, ...extra });
  const target = await readTargetState(host, plan);
  if (!target.currentRelease)
    throw refused(`nothing is deployed at ${plan.target.root} (no current symlink) to upgrade`);
  if (!target.dbVersion)
    throw refused(
      `cannot read the database version of ${plan.database.name}: ${target.dbError ?? 'no MAIN_VERSION_* in llx_const'}`,
    );
  const to = install.releaseVersion ?? plan.dolibarr.version;
  const customization = plan.kind === 'customization';
  if (customization && to !== target.dbVersion)
    throw refused(`a customization keeps Dolibarr at ${target.dbVersion}; the plan's release is ${to}`, {
      where: 'dolibarr.release',
      fix: `name the ${target.dbVersion} release in the plan, or plan an upgrade (kind: upgrade) to change the version`,
    });
  if (versionCompare(versionArray(to), versionArray(target.dbVersion)) < 0) {
    throw refused(`the database is at ${target.dbVersion}, newer than ${to}: Dolibarr has no downgrade`, {
      fix: 'roll back from a backup instead: mokodeploy rollback',
    });
  }
  const service =
    plan.target.phpFpmService ?? `php${(install.phpVersion ?? '8.2').split('.').slice(0, 2).join('.')}-fpm`;
  const layout = targetLayout(plan.target.root, plan.target.dataRoot, 'unused');
  return {
    ...install,
    // the backup and the new release are named by one stamp no backup or release has yet
    stamp: await freeStamp(host, { backupRoot: plan.target.backupRoot, releasesDir: layout.releasesDir }),
    target,
    previousRelease: target.currentRelease,
    // a customization (new or changed custom modules, same version) runs no migration: seconds of maintenance
    passes: customization ? [] : migrationPasses(target.dbVersion, to),
    phpReload:
      (install.serviceManager ?? 'systemd') === 'systemd' ? { kind: 'systemd', service } : { kind: 'none' },
    lang: installLanguage(plan.company.country),
    // issue 17: webhook targets an earlier plan left, removed inside the upgrade (src/steps/upgrade-integrations.ts)
    ...(await readWebhookFacts(host, plan, extra.phpBinary)),
    ...extra,
  } as InstallFacts & UpgradeFacts;
}

/**
 * Facts for resuming an interrupted upgrade (issue 13 "start-up"): the interrupted run's journaled facts (its stamp,
 * the release it left, its passes: the release was verified by that run, before its maintenance) and, fresh, only
 * what the journal never holds — conf.php, whose password and instance id are secrets. Nothing reads the tarball:
 * a resume may find the site in maintenance, and every second here is outage.
 */
export async function resumeUpgradeFacts(
  host: Host,
  plan: Plan,
  journaled: Record<string, unknown>,
  extra: Partial<InstallFacts & UpgradeFacts> = {},
): Promise<InstallFacts & UpgradeFacts> {
  const conf = targetLayout(plan.target.root, plan.target.dataRoot, 'unused').confPhp;
  const existingConf = await host
    .readFile(conf)
    .then((b) => parseConfPhp(b.toString('utf8')))
    .catch(() => undefined);
  return { ...journaled, existingConf, ...extra } as InstallFacts & UpgradeFacts;
}
