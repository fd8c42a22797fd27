import { refused } from '../../core/errors.js';
import type { Plan } from '../../core/plan.js';
import type { Host } from '../../hosts/host.js';
import { backupLayout } from '../../backup/layout.js';
import { latestBackup } from '../../backup/read.js';
import { recordedManifests } from '../../backup/recorded.js';
import { verifyBackupManifest } from '../../backup/verify-manifest.js';
import type { InstallFacts } from '../install/context.js';
import { gatherRestoreFacts } from './index.js';

/**
 * The facts of a disaster-recovery deployment (policy "Deployment Types": disaster recovery; Phase 2 "Restore from
 * backup"): the backup the plan names (recovery.backup) or the newest complete one under target.backupRoot, which
 * must have been copied onto the target; refused, changing nothing, when there is none or when it was taken from
 * another Dolibarr version than the release the plan extracts (restore that version, then upgrade), or when any file
 * of it differs from its manifest (issue 23: checked before the first command that changes the target).
 */
export async function gatherRecoveryFacts(
  host: Host,
  plan: Plan,
  extra: Partial<InstallFacts> = {},
  /** Facts of the records that may have recorded the backup (its manifest sha256; issue 23). */
  recordedFacts: readonly Record<string, unknown>[] = [],
) {
  const root = plan.target.backupRoot;
  const stamp = plan.recovery?.backup ?? (await latestBackup(host, root));
  if (!stamp)
    throw refused(
      `no complete backup (a directory with SHA256SUMS) under ${root} on the target to recover from`,
      {
        where: 'target.backupRoot',
        fix: `copy the backup directory (<stamp>/ from the old server's backup root) into ${root}, or set recovery.backup`,
      },
    );
  const layout = backupLayout(root, stamp);
  await verifyBackupManifest(host, layout, recordedManifests(recordedFacts, stamp)); // before anything reads the backup or changes the target
  const meta = await host
    .readFile(layout.meta)
    .then((b) => JSON.parse(b.toString('utf8')) as { filesVersion?: string; dbVersion?: string })
    .catch((e: unknown) => {
      throw refused(`backup ${stamp} cannot be read on the target: ${(e as Error).message}`, {
        where: layout.meta,
        fix: 'copy the whole backup directory, backup.json and SHA256SUMS included',
      });
    });
  const facts = await gatherRestoreFacts(host, plan, stamp, extra);
  const backupVersion = meta.filesVersion ?? meta.dbVersion;
  const releaseVersion = facts.releaseVersion ?? plan.dolibarr.version;
  if (backupVersion && backupVersion !== releaseVersion)
    throw refused(
      `backup ${stamp} was taken from Dolibarr ${backupVersion}, but the plan's release is ${releaseVersion}`,
      {
        where: 'dolibarr.release',
        fix: `recover with the ${backupVersion} release (dolibarr.version/release), then upgrade it with a plan of kind upgrade`,
      },
    );
  return facts;
}
