import { createHash } from 'node:crypto';
import { refused } from '../core/errors.js';
import type { Host } from '../hosts/host.js';
import { manifestFiles, type BackupLayout } from './layout.js';
import { checkManifestCommand } from './steps/write-manifest.js';

/**
 * Check before change (issue 23): every file of a backup equal to its manifest (the same `sha256sum --check` the
 * rollback's rollback:check-backup step runs), every file a backup holds listed in it, and the manifest itself
 * equal to the sha256 recorded when the backup was taken (when one is known). Read only; refused naming the files.
 */
export async function verifyBackupManifest(
  host: Host,
  b: BackupLayout,
  /** The manifest sha256 recorded for this backup (any of them: several records may name it); empty: none recorded. */
  recorded: readonly string[] = [],
): Promise<void> {
  const fix = `take a new backup, or copy the backup directory ${b.stamp}/ again from where it was made`;
  const sums = await host.readFile(b.sums).catch((e: unknown) => {
    throw refused(`backup ${b.stamp} has no readable manifest (${b.sums}): ${(e as Error).message}`, {
      where: b.sums,
      fix,
    });
  });
  const sha256 = createHash('sha256').update(sums).digest('hex');
  if (recorded.length > 0 && !recorded.includes(sha256))
    throw refused(
      `backup ${b.stamp}: its manifest SHA256SUMS (sha256 ${sha256}) differs from the one recorded when the backup was taken (${recorded.join(', ')})`,
      { where: b.sums, fix },
    );
  const listed = new Set(
    sums
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.slice(66)),
  );
  const unlisted = manifestFiles.filter((f) => !listed.has(f));
  if (unlisted.length > 0)
    throw refused(`backup ${b.stamp}: ${unlisted.join(', ')} not listed in its manifest SHA256SUMS`, {
      where: b.sums,
      fix,
    });
  const r = await host.run(checkManifestCommand(b.dir));
  if (r.code !== 0)
    throw refused(
      `backup ${b.stamp} differs from its manifest SHA256SUMS: ${failedFiles(r.stdout, r.stderr).join(', ')}`,
      { where: b.dir, fix, details: [r.stdout.trim(), r.stderr.trim()].filter(Boolean) },
    );
}

/** The files `sha256sum --check --quiet` names: "<name>: FAILED" / "FAILED open or read", or its warnings. */
function failedFiles(stdout: string, stderr: string): string[] {
  const named = stdout
    .split('\n')
    .map((l) => /^(.*): FAILED/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined)
    .map((n) => `${n} (sha256 differs or unreadable)`);
  return named.length > 0 ? named : [stderr.trim() || stdout.trim() || 'sha256sum --check failed'];
}
