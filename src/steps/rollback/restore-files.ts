import { backupOf } from '../../backup/context.js';
import type { Step } from '../step.js';
import { fixedLayout } from '../upgrade/context.js';

/**
 * Policy "Execute Rollback: restore files" (`rsync -av /backups/… /var/www/html/dolibarr/`, i.e. overwrite, no
 * delete): the documents archive is extracted over the data root, and conf.php put back as it was in the backup,
 * read-only for the web group (DOLIBARR.md §3). Releases themselves are never changed: the old one is still there.
 */
export const restoreFiles: Step = {
  id: 'rollback:restore-files',
  title: 'Restore documents and conf.php from the backup',
  policyRef: 'rollback.process',
  plan(ctx) {
    const b = backupOf(ctx);
    const l = fixedLayout(ctx);
    const { webUser, webGroup } = ctx.plan.target;
    return [
      {
        kind: 'run',
        description: `extract documents over ${l.dataRoot}`,
        command: { sudo: true, argv: ['tar', '-xzf', b.documents, '-C', l.dataRoot], timeoutMs: 3_600_000 },
      },
      {
        kind: 'run',
        description: 'documents owned by the web user',
        command: { sudo: true, argv: ['chown', '-R', `${webUser}:${webGroup}`, l.dataRoot] },
      },
      {
        kind: 'run',
        description: 'conf.php as backed up (0440)',
        command: {
          sudo: true,
          argv: ['install', '-m', '440', '-o', 'root', '-g', webGroup, '--', b.confPhp, l.confPhp],
        },
      },
    ];
  },
};
