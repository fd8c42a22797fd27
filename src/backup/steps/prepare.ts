import type { Step } from '../../steps/step.js';
import { backupOf } from '../context.js';

/** Policy Phase 1 "Backup production / Store backups securely": <backupRoot>/<stamp>/ owned by root, 0700. */
export const prepareBackup: Step = {
  id: 'backup:prepare',
  title: 'Create the backup directory (0700)',
  policyRef: 'deploy.phase1.backup-production',
  plan(ctx) {
    const b = backupOf(ctx);
    return [
      {
        kind: 'run',
        description: `create ${b.dir}`,
        command: { sudo: true, argv: ['mkdir', '-p', '-m', '700', b.root, b.tablesDir] },
      },
      {
        kind: 'run',
        description: 'backup root readable by root only',
        command: { sudo: true, argv: ['chmod', '700', b.root, b.dir, b.tablesDir] },
      },
    ];
  },
};
