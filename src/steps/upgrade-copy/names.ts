import type { Plan } from '../../core/plan.js';

/**
 * Issue 19: the schemas of an upgrade by copy, beside the live one on the same server. The live schema keeps the
 * plan's name from start to end (backups, verify and rollback never see another name): the copy is migrated under
 * its own name, then one RENAME TABLE moves the live tables to the archive and the copy's into the live schema.
 * At most 64 characters (MariaDB's limit): the plan's name is shortened, never the suffix.
 */
function withSuffix(plan: Plan, suffix: string): string {
  return `${plan.database.name.slice(0, 64 - suffix.length)}${suffix}`;
}

/** Where the new release's migration runs (dropped after the swap, or when the upgrade stops before it). */
export const copyDatabaseName = (plan: Plan): string => withSuffix(plan, '_mkcopy');

/** The old release's tables after the swap: what a rollback before writes swaps back, nothing restored. */
export const archiveDatabaseName = (plan: Plan, stamp: string): string => withSuffix(plan, `_mkold${stamp}`);

/** The new release's tables after an instant rollback: kept for the analysis of what went wrong. */
export const failedDatabaseName = (plan: Plan, stamp: string): string => withSuffix(plan, `_mkbad${stamp}`);
