import { backupOf } from '../../backup/context.js';
import { restoreDatabaseActions } from '../rollback/restore-database.js';
import { verifyData } from '../rollback/verify-data.js';
import { layoutOf } from '../install/context.js';
import type { Step } from '../step.js';

/**
 * Policy Phase 2 step 3 "… OR Restore from backup", also disaster recovery onto a new host or directory: the
 * pieces a restore adds to the install steps. The backup directory (<backupRoot>/<stamp>/) must be on the target.
 */
export const restoreCustomModules: Step = {
  id: 'restore:custom-modules',
  title: 'Custom modules from the backup into the release',
  policyRef: 'deploy.phase2.install-modules',
  plan(ctx) {
    const l = layoutOf(ctx);
    return [
      {
        kind: 'run',
        description: 'custom directory',
        command: { sudo: true, argv: ['mkdir', '-p', l.customDir] },
      },
      {
        kind: 'run',
        description: `extract ${backupOf(ctx).custom}`,
        command: {
          sudo: true,
          argv: ['tar', '-xzf', backupOf(ctx).custom, '-C', l.customDir, '--no-same-owner'],
        },
      },
      {
        kind: 'run',
        description: 'owned by root',
        command: { sudo: true, argv: ['chown', '-R', 'root:root', l.customDir] },
      },
    ];
  },
};

export const restoreDatabaseFromBackup: Step = {
  id: 'restore:database',
  title: 'Load the backup into the database',
  policyRef: 'deploy.phase2.run-installer',
  plan: (ctx) => restoreDatabaseActions(ctx),
};

export const restoreDocuments: Step = {
  id: 'restore:documents',
  title: 'Documents (and install.lock) from the backup into the data root',
  policyRef: 'deploy.phase2.run-installer',
  plan(ctx) {
    const l = layoutOf(ctx);
    const { webUser, webGroup } = ctx.plan.target;
    return [
      {
        kind: 'run',
        description: `create ${l.dataRoot}`,
        command: { sudo: true, argv: ['mkdir', '-p', l.dataRoot] },
      },
      {
        kind: 'run',
        description: `extract ${backupOf(ctx).documents}`,
        command: {
          sudo: true,
          argv: ['tar', '-xzf', backupOf(ctx).documents, '-C', l.dataRoot],
          timeoutMs: 3_600_000,
        },
      },
      {
        kind: 'run',
        description: 'owned by the web user',
        command: { sudo: true, argv: ['chown', '-R', `${webUser}:${webGroup}`, l.dataRoot] },
      },
      {
        kind: 'run',
        description: 'data root 0750',
        command: { sudo: true, argv: ['chmod', '750', l.dataRoot] },
      },
    ];
  },
};

/** A restore whose data differs from the backup is not done: the next run loads the dump again (issue 23). */
export const verifyRestoredData: Step = {
  ...verifyData,
  id: 'restore:verify-data',
  checks: [restoreDatabaseFromBackup.id],
};
