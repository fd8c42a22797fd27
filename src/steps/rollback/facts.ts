import type { Plan } from '../../core/plan.js';
import { isDeploymentDatabase } from '../../backup/live-database.js';
import type { Host } from '../../hosts/host.js';
import { readBackup } from '../../backup/read.js';
import { latestBackup } from '../../backup/read.js';
import { readTargetState } from '../../backup/target-state.js';
import { releaseStamp } from '../../dolibarr/layout.js';
import { inputError, refused } from '../../core/errors.js';
import type { PhpReload, UpgradeFacts } from '../upgrade/context.js';

/**
 * What a rollback plans from when no finished upgrade recorded it (an upgrade killed half-way, a rollback asked
 * for later): the backup (given, or the newest complete one) and, from its backup.json, the release that was
 * served and the database version it had. The release `current` points at now is the one rolled back from.
 */
export async function gatherRollbackFacts(
  host: Host,
  plan: Plan,
  o: { backupStamp?: string; previousRelease?: string; reason?: string; phpReload: PhpReload; now?: Date },
): Promise<UpgradeFacts & { backupStamp: string }> {
  const backupStamp = o.backupStamp ?? (await latestBackup(host, plan.target.backupRoot));
  if (!backupStamp)
    throw inputError(`no backup to roll back to under ${plan.target.backupRoot}`, {
      fix: 'name one with --backup STAMP',
    });
  // the backup named is read (manifest, backup.json) before anything: the pipeline then checks every file's sha256
  const backup = await readBackup(host, plan.target.backupRoot, backupStamp).catch((e: unknown) => {
    throw refused(`backup ${backupStamp} cannot be used: ${(e as Error).message}`, {
      where: `${plan.target.backupRoot}/${backupStamp}`,
      fix: `name a complete backup (a directory with SHA256SUMS) under ${plan.target.backupRoot}`,
    });
  });
  // issue 19: after an upgrade by copy the site's database is <name>_mk<stamp> (backups taken since name it)
  const ofPlan = (d: unknown) => typeof d === 'string' && isDeploymentDatabase(plan.database.name, d);
  if (backup.meta.database !== undefined && !ofPlan(backup.meta.database))
    throw refused(
      `backup ${backupStamp} is of database ${String(backup.meta.database)}, not ${plan.database.name} (or an upgrade's copy of it)`,
      { where: backup.dir, fix: "name a backup of this deployment's database" },
    );
  const previousRelease = o.previousRelease ?? (backup.meta.release as string | undefined);
  if (!previousRelease)
    throw inputError('which release to go back to is not known', {
      fix: 'name it with --to-release NAME (a directory under releases/)',
    });
  const now = await readTargetState(host, plan);
  return {
    stamp: releaseStamp(o.now ?? new Date()),
    backupStamp,
    previousRelease,
    badRelease: now.currentRelease !== previousRelease ? now.currentRelease : undefined,
    target: { ...now, dbVersion: backup.meta.dbVersion as string | undefined },
    passes: [],
    phpReload: o.phpReload,
    reason: o.reason,
  };
}
