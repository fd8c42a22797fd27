import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refused } from '../../core/errors.js';
import type { Plan } from '../../core/plan.js';
import type { Host } from '../../hosts/host.js';
import { backupLayout } from '../../backup/layout.js';
import { latestBackup } from '../../backup/read.js';
import { recordedManifests } from '../../backup/recorded.js';
import { verifyBackupManifest } from '../../backup/verify-manifest.js';
import { findOffsiteBackup, openOffsite, openOffsiteBackup, shipBackup } from '../../offsite/index.js';
import { parseConfPhp } from '../../dolibarr/conf-php.js';
import type { InstallFacts } from '../install/context.js';
import { gatherRestoreFacts } from './index.js';

/**
 * How a recovery reaches the off-server copies (issue 23): the operator's store directory, and whether this is a
 * dry run (the copy is checked but not shipped). Given by deploy as fact overrides; never kept in the facts.
 */
export interface RecoverySource {
  offsiteHome?: string;
  offsiteDryRun?: boolean;
}

type Meta = { filesVersion?: string; dbVersion?: string };

/**
 * The facts of a disaster-recovery deployment (policy "Deployment Types": disaster recovery; Phase 2 "Restore from
 * backup"): the backup the plan names (recovery.backup) or the newest complete one. Taken from the target's backup
 * root when it is there; otherwise from the off-server copy (the operator's store, else the bucket), checked file by
 * file against its manifest and the manifest against the hash recorded when the backup was taken, then shipped to
 * the new target by the tool itself (issue 23). Refused, changing nothing, when there is no backup, when it was taken
 * from another Dolibarr version than the release the plan extracts, or when any file differs from its manifest.
 */
export async function gatherRecoveryFacts(
  host: Host,
  plan: Plan,
  extraAndSource: Partial<InstallFacts> & RecoverySource = {},
  /** Facts of the records that may have recorded the backup (its manifest sha256; issue 23). */
  recordedFacts: readonly Record<string, unknown>[] = [],
) {
  const { offsiteHome, offsiteDryRun, ...extra } = extraAndSource;
  const root = plan.target.backupRoot;
  const named = plan.recovery?.backup;
  const onTarget = named
    ? (await host.run({ sudo: true, argv: ['test', '-s', backupLayout(root, named).sums] })).code === 0
      ? named
      : undefined
    : await latestBackup(host, root);
  if (!onTarget && offsiteHome) {
    const shipped = await fromOffsite(host, plan, offsiteHome, offsiteDryRun ?? false, recordedFacts);
    if (shipped) return checkedFacts(host, plan, shipped.stamp, shipped.meta, extra, shipped.conf);
  }
  const stamp = onTarget ?? named;
  if (!stamp)
    throw refused(
      `no complete backup of ${plan.client} on the target (${root}) nor in the operator's store`,
      {
        where: 'recovery.backup',
        fix: `take backups with \`mokodeploy backup\` (copied to the store), or name one in recovery.backup`,
      },
    );
  const layout = backupLayout(root, stamp);
  await verifyBackupManifest(host, layout, recordedManifests(recordedFacts, stamp)); // before anything reads the backup or changes the target
  const meta = await host
    .readFile(layout.meta)
    .then((b) => JSON.parse(b.toString('utf8')) as Meta)
    .catch((e: unknown) => {
      throw refused(`backup ${stamp} cannot be read on the target: ${(e as Error).message}`, {
        where: layout.meta,
        fix: 'copy the whole backup directory, backup.json and SHA256SUMS included',
      });
    });
  return checkedFacts(host, plan, stamp, meta, extra);
}

/** The off-server copy checked here, then shipped (not in a dry run); undefined when there is none. */
async function fromOffsite(
  host: Host,
  plan: Plan,
  home: string,
  dryRun: boolean,
  recordedFacts: readonly Record<string, unknown>[],
): Promise<{ stamp: string; meta: Meta; conf: string } | undefined> {
  const offsite = await openOffsite(home, { store: true });
  const scratch = mkdtempSync(join(tmpdir(), 'moko-recover-'));
  try {
    const copy = await findOffsiteBackup(offsite, plan.client, plan.recovery?.backup);
    if (!copy) return undefined;
    const { stamp } = copy.index;
    await openOffsiteBackup(offsite, copy, recordedManifests(recordedFacts, stamp), scratch); // check before change
    const meta = JSON.parse(readFileSync(join(scratch, 'backup.json'), 'utf8')) as Meta;
    const conf = readFileSync(join(scratch, 'conf.php'), 'utf8');
    if (!dryRun) {
      await shipBackup(host, plan.target.backupRoot, copy.index, scratch);
      await verifyBackupManifest(host, backupLayout(plan.target.backupRoot, stamp), [
        copy.index.manifestSha256,
      ]);
    }
    return { stamp, meta, conf };
  } finally {
    offsite.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function checkedFacts(
  host: Host,
  plan: Plan,
  stamp: string,
  meta: Meta,
  extra: Partial<InstallFacts>,
  conf?: string,
) {
  const facts = await gatherRestoreFacts(host, plan, stamp, extra, conf ? parseConfPhp(conf) : undefined);
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
