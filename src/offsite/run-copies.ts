import type { Host } from '../hosts/host.js';
import { copyBackupOffsite } from './copy-backup.js';
import { applyOffsiteRetention } from './retention.js';
import type { Offsite } from './index.js';
import type { OffsiteIndex } from './copies.js';

/** Where a backup's copies are, as recorded on the deployment record (facts.backups[stamp].copies). */
export interface BackupCopies {
  /** The backup directory on the target, or null once deleted there. */
  target: string | null;
  store?: string;
  s3?: string;
}

export function copiesOf(index: OffsiteIndex): BackupCopies {
  return {
    target: index.target.deleted ? null : index.target.dir,
    ...(index.store ? { store: index.store.dir } : {}),
    ...(index.s3
      ? {
          s3: `s3://${index.s3.bucket}/${index.s3.prefix}${index.s3.endpoint ? ` (${index.s3.endpoint})` : ''}`,
        }
      : {}),
  };
}

/** The off-server part of a backup run: copy and check, delete the target's copy when asked, then retention. */
export async function runOffsiteCopies(
  offsite: Offsite,
  b: Parameters<typeof copyBackupOffsite>[0] & { host: Host },
  options: { deleteTargetCopy: boolean; keep: number },
): Promise<{ index: OffsiteIndex; removed: { store: string[]; bucket: string[] } }> {
  const index = await copyBackupOffsite(b, {
    store: offsite.store,
    bucket: offsite.bucket,
    key: offsite.key,
    deleteTargetCopy: options.deleteTargetCopy,
  });
  const removed = await applyOffsiteRetention(b.client, options.keep, offsite);
  return { index, removed };
}
