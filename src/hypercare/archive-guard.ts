import type { DeploymentRecord } from '../core/record.js';
import { parseDeploymentSchema } from '../steps/upgrade-copy/archives.js';

/**
 * Issue 19 archive retention: whose hypercare protects the newest archive. The newest archive is the database a
 * rollback before writes of the last upgrade by copy goes back to; that rollback is the business of the deployment
 * whose upgrade left it (facts.upgrade.archiveDatabase, recorded by src/app/engine/upgrade-run.ts), not of whichever
 * deployment happens to prune. So closing an older deployment, or starting the next upgrade, never drops the archive
 * a later upgrade still in hypercare may need.
 */

/** When a deployment's hypercare ends: start + days; a closed deployment's has ended; unknown before go-live. */
export function hypercareEnds(r: DeploymentRecord): Date | undefined {
  if (r.state === 'closed') return new Date(0);
  if (!r.support) return undefined;
  return new Date(Date.parse(r.support.hypercareStart) + r.support.hypercareDays * 86_400_000);
}

/** The deployment (same client, same database) whose upgrade by copy left `archive`; the newest such record. */
export function archiveOwner(
  records: readonly DeploymentRecord[],
  archive: string,
  of: DeploymentRecord,
): DeploymentRecord | undefined {
  const db = of.plan.database.name;
  if (!parseDeploymentSchema(db, archive)) return undefined;
  return records
    .filter((r) => r.plan.client === of.plan.client && r.plan.database.name === db)
    .filter(
      (r) => (r.facts.upgrade as { archiveDatabase?: unknown } | undefined)?.archiveDatabase === archive,
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

/**
 * The hypercare end that keeps the newest archive: its owner's; without an owner on record (schemas from before
 * records, a store moved), the deployment acting's own, as `archives` always did (undefined keeps it).
 */
export function newestArchiveGuard(
  records: readonly DeploymentRecord[],
  newest: string | undefined,
  acting: DeploymentRecord,
): { hypercareEnds?: Date; owner?: string } {
  const owner = newest ? archiveOwner(records, newest, acting) : undefined;
  const ends = hypercareEnds(owner ?? acting);
  return { ...(ends ? { hypercareEnds: ends } : {}), ...(owner ? { owner: owner.id } : {}) };
}
