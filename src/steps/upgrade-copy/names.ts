import type { Plan } from '../../core/plan.js';
import type { StepContext } from '../step.js';
import { upgradeFacts } from '../upgrade/context.js';

/**
 * Issue 19: the schemas of an upgrade by copy, beside the live one on the same server. No table is ever renamed:
 * the copy is migrated under its own name `<plan name>_mk<stamp>`, the new release's conf.php names it, and the
 * switch is `current` (plus a PHP reload). So the live name changes with every upgrade by copy (the plan's name,
 * then <name>_mk<stamp1>, <name>_mk<stamp2>...); src/backup/live-database.ts resolves it. The schema the site left
 * stays whole under its own name: what a rollback before writes goes back to, nothing restored.
 * At most 64 characters (MariaDB's limit): the plan's name is shortened, never the suffix.
 */
function withSuffix(plan: Plan, suffix: string): string {
  return `${plan.database.name.slice(0, 64 - suffix.length)}${suffix}`;
}

/** Where the new release's migration runs, and what the site uses after the switch. */
export const copyDatabaseName = (plan: Plan, stamp: string): string => withSuffix(plan, `_mk${stamp}`);

/** The copy of this upgrade run (its stamp names both the backup and the copy). */
export const copyOf = (ctx: StepContext): string => copyDatabaseName(ctx.plan, upgradeFacts(ctx).stamp);
