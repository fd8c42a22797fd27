import type { PruneResult } from '../../package/prune.js';

/** Each removed name as packages/<deployment>/<name>, for --json. */
export const prunedNames = (r: PruneResult): string[] =>
  r.prune.flatMap((p) => p.names.map((n) => `packages/${p.deploymentId}/${n}`));

/** What pruning did (or would do), in lines; nothing when there was nothing to remove and nothing kept to say. */
export function describePrune(r: PruneResult, dryRun: boolean): string[] {
  const mib = (r.bytes / 1048576).toFixed(1);
  const kept = r.keep.filter((k) => k.why === 'approved' || k.why === 'current').length;
  if (r.prune.length === 0) return dryRun ? ['  no old package to remove'] : [];
  return [
    `  ${dryRun ? 'would remove' : 'removed'} ${r.prune.length} old package(s) or build leftover(s), ${mib} MiB (kept ${r.keep.length}, ${kept} in use by a record):`,
    ...prunedNames(r).map((n) => `    ${n}`),
  ];
}
