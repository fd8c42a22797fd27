import type { AppContext } from '../app/context.js';
import type { Host } from '../hosts/host.js';
import type { DeploymentRecord } from '../core/record.js';
import { readBackup } from '../backup/read.js';
import { withRecordedBackup } from '../backup/recorded.js';
import { openOffsite } from './index.js';
import { s3FromEnv } from './copies.js';
import { copiesOf, runOffsiteCopies, type BackupCopies } from './run-copies.js';

/** Off-server copies an engine run keeps of its own backup before retention removes older ones (as `backup --keep`). */
const keepCopies = 7;

/**
 * Issue 23: the backup an upgrade takes before it changes anything leaves the server too, like a `mokodeploy backup`
 * run's: copied to the operator's store (and the bucket when MOKODEPLOY_S3_BUCKET names one), checked there by
 * sha256, and recorded in facts.backups with its manifest hash and its copies, so a recovery from the store and the
 * check-before-change of a rollback find it. A failed copy never undoes the upgrade: it is said, and recorded as
 * "target only".
 */
export async function copyEngineBackupOffsite(
  a: AppContext,
  record: DeploymentRecord,
  host: Host,
  stamp: string,
  as: string | undefined,
): Promise<BackupCopies | undefined> {
  const backupRoot = record.plan.target.backupRoot;
  let b: Awaited<ReturnType<typeof readBackup>>;
  try {
    b = await readBackup(host, backupRoot, stamp);
  } catch (e) {
    // the run stopped before its backup was complete (no manifest yet): nothing to copy or record, but say so
    a.out.warn(
      `the upgrade's backup ${stamp} cannot be read back (${e instanceof Error ? e.message : String(e)}): not copied off the server`,
    );
    return undefined;
  }
  const s3 = s3FromEnv();
  const offsite = await openOffsite(a.home, { store: true, s3: s3 ?? false });
  let copies: BackupCopies = { target: b.dir };
  try {
    const { index } = await runOffsiteCopies(
      offsite,
      {
        host,
        backupRoot,
        stamp: b.stamp,
        client: record.plan.client,
        deployment: record.id,
        manifestSha256: b.manifestSha256,
        now: a.now(),
      },
      { deleteTargetCopy: false, keep: keepCopies },
    );
    copies = copiesOf(index);
  } catch (e) {
    a.out.warn(
      `the upgrade's backup ${b.stamp} was not copied off the server (${e instanceof Error ? e.message : String(e)}): it lives only on the target; copy it with: mokodeploy backup ${record.id}`,
    );
  } finally {
    offsite.close();
  }
  const current = (await (await a.store()).get(record.id))?.record ?? record;
  await a.act(
    record.id,
    'record-facts',
    {
      backups: withRecordedBackup(current.facts, {
        stamp: b.stamp,
        dir: b.dir,
        manifestSha256: b.manifestSha256,
        at: a.now().toISOString(),
        copies,
      }),
    },
    as,
  );
  return copies;
}
