import type { DeploymentRecord, State } from '../core/record.js';

/**
 * Which packages the store keeps (issue 22: packages/<deployment>/<hash>.tar and .json), as data: the package an
 * approval binds is never removed, whatever the record's state; the current package of a record that may still run
 * or be checked is kept; beyond those, the newest `keepLast` of each deployment; build leftovers (an interrupted
 * build's work directory or partial tar) once they are older than `staleBuildHours`.
 */
export const packageRetention = {
  keepLast: 2,
  /** States whose record no longer needs its current package (any other may still run, be checked or roll back). */
  finishedStates: ['closed', 'rolled-back', 'cancelled'] as readonly State[],
  staleBuildHours: 24,
};

export type PackageRetention = typeof packageRetention;

/** One package in the store, or one build leftover (hash undefined). */
export interface StoredPackage {
  deploymentId: string;
  hash?: string;
  /** Names in packages/<deployment>/ that belong to it. */
  names: string[];
  modifiedMs: number;
}

export type KeepReason = 'approved' | 'current' | 'recent' | 'building';

export interface RetentionDecision {
  keep: { item: StoredPackage; why: KeepReason }[];
  prune: StoredPackage[];
}

/** Pure: what to keep and what to remove, given what is stored and the records (by id) that own it. */
export function decideRetention(
  stored: readonly StoredPackage[],
  records: ReadonlyMap<string, DeploymentRecord>,
  now: Date,
  rule: PackageRetention = packageRetention,
): RetentionDecision {
  const out: RetentionDecision = { keep: [], prune: [] };
  const byDeployment = new Map<string, StoredPackage[]>();
  for (const item of stored) {
    if (item.hash === undefined) {
      const fresh = now.getTime() - item.modifiedMs < rule.staleBuildHours * 3_600_000;
      if (fresh) out.keep.push({ item, why: 'building' });
      else out.prune.push(item);
      continue;
    }
    byDeployment.set(item.deploymentId, [...(byDeployment.get(item.deploymentId) ?? []), item]);
  }
  for (const [id, items] of byDeployment) {
    const record = records.get(id);
    const newest = [...items].sort((a, b) => b.modifiedMs - a.modifiedMs).slice(0, rule.keepLast);
    for (const item of items) {
      const why = reasonToKeep(item, record, newest, rule);
      if (why) out.keep.push({ item, why });
      else out.prune.push(item);
    }
  }
  return out;
}

function reasonToKeep(
  item: StoredPackage,
  record: DeploymentRecord | undefined,
  newest: StoredPackage[],
  rule: PackageRetention,
): KeepReason | undefined {
  if (record?.approval?.packageHash === item.hash) return 'approved';
  if (record && record.package?.hash === item.hash && !rule.finishedStates.includes(record.state))
    return 'current';
  if (newest.includes(item)) return 'recent';
  return undefined;
}
