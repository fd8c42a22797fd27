import { inputError } from '../core/errors.js';
import type { StepContext } from '../steps/step.js';
import { backupLayout, type BackupLayout } from './layout.js';
import type { TargetState } from './target-state.js';

/**
 * Facts the backup steps plan from (StepContext.facts): the stamp naming the backup directory and what is
 * deployed now (recorded in backup.json). `stamp` is also the install steps' release stamp, so an upgrade's
 * backup and its new release share one name.
 */
export interface BackupFacts {
  stamp: string;
  /** The backup directory's stamp when it differs from `stamp` (a rollback restores an older backup). */
  backupStamp?: string;
  target?: TargetState;
  /** Backups kept by retention (default 7). */
  keepBackups?: number;
}

export function backupFacts(ctx: StepContext): BackupFacts {
  const facts = ctx.facts as Partial<BackupFacts>;
  if (typeof facts.stamp !== 'string' || !/^\d{14}$/.test(facts.stamp)) {
    throw inputError('backup facts lack a stamp (yyyymmddHHMMSS)', {
      fix: 'gather facts before planning the backup steps',
    });
  }
  return facts as BackupFacts;
}

export function backupOf(ctx: StepContext): BackupLayout {
  const f = backupFacts(ctx);
  return backupLayout(ctx.plan.target.backupRoot, f.backupStamp ?? f.stamp);
}

/** The scratch database of a backup's test restore. */
export const restoreTestSuffix = 'restoretest';
