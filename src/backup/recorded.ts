/**
 * The manifest sha256 of each backup as `mokodeploy backup` recorded it on the deployment record (facts.backups,
 * one entry per backup, and facts.lastBackup): what a restore checks the manifest it finds against (issue 23).
 */
export interface RecordedBackup {
  stamp: string;
  dir: string;
  manifestSha256: string;
  at: string;
  /** Where its copies are (issue 23): the target's directory (null once deleted), the store, the bucket. */
  copies?: { target: string | null; store?: string; s3?: string };
}

/** facts.backups after recording one more backup (earlier entries kept: retention may keep them on disk). */
export function withRecordedBackup(
  facts: Record<string, unknown>,
  b: RecordedBackup,
): Record<string, RecordedBackup> {
  return { ...(facts.backups as Record<string, RecordedBackup> | undefined), [b.stamp]: b };
}

/** Every manifest sha256 recorded for a backup stamp in these records' facts (none: the backup was never recorded). */
export function recordedManifests(
  factsOfRecords: readonly Record<string, unknown>[],
  stamp: string,
): string[] {
  const found = new Set<string>();
  for (const facts of factsOfRecords) {
    const one = (facts.backups as Record<string, Partial<RecordedBackup>> | undefined)?.[stamp];
    const last = facts.lastBackup as Partial<RecordedBackup> | undefined;
    for (const b of [one, last?.stamp === stamp ? last : undefined])
      if (typeof b?.manifestSha256 === 'string') found.add(b.manifestSha256);
  }
  return [...found];
}
