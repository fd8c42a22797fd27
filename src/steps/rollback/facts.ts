import type { Plan } from '../../core/plan.js';
import type { Host } from '../../hosts/host.js';
import { readBackup } from '../../backup/read.js';
import { latestBackup } from '../../backup/read.js';
import { readTargetState } from '../../backup/target-state.js';
import { releaseStamp } from '../../dolibarr/layout.js';
import { inputError } from '../../core/errors.js';
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
  const backup = await readBackup(host, plan.target.backupRoot, backupStamp);
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
