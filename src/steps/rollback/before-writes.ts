import { layoutOf } from '../install/context.js';
import type { Step, StepContext } from '../step.js';
import { upgradeFacts } from '../upgrade/context.js';
import { reloadPhpWaitStep as reloadPhpStep } from '../upgrade-copy/reload-wait.js';
import { switchStep } from '../upgrade/switch-release.js';
import { relockStep } from '../upgrade/unlock.js';
import { previousRelease, readOnlyStep, relinkStep, resumeCronStep } from '../upgrade-copy/read-only.js';
import { archiveOf, swapBackDatabase } from '../upgrade-copy/swap.js';
import { bashCommand } from '../../backup/bash.js';
import { dbConnection } from '../../backup/connection.js';
import { markBadRelease } from './mark-bad.js';

/**
 * Issue 19: the rollback of an upgrade by copy before the new release accepted writes. Nothing is restored: the old
 * database was never written (it was read-only, then archived whole by the swap), so it is swapped back in by one
 * RENAME TABLE and `current` goes back to the old release. Both releases are read-only while the two halves move
 * (a write can then land in neither the wrong schema nor a schema about to be set aside): both read-only (reload),
 * `current` back to the old one (reload: old code reads the new schema, which it can), the swap back, the old one
 * writable again (reload). The new release's tables are kept aside (names.ts failedDatabaseName).
 */
const badRelease = (ctx: StepContext): string => upgradeFacts(ctx).badRelease ?? layoutOf(ctx).releaseName;

/** The archive is there with its tables (else nothing was changed yet and the verified restore is the way back). */
export const checkArchive: Step = {
  id: 'rollback:check-archive',
  title: 'The old database is there, whole, to swap back',
  policyRef: 'rollback.process',
  plan(ctx) {
    const conn = dbConnection(ctx);
    const archive = archiveOf(ctx);
    const sql = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '${archive.replace(/'/g, "''")}'`;
    const script =
      'n="$("${@:3}" -e "$2")"; [ "$n" -gt 0 ] || { printf "the old database %s is not there to swap back: roll back from the backup\\n" "$1" >&2; exit 1; }';
    return [
      ...conn.before,
      {
        kind: 'run',
        description: `${archive} has tables`,
        command: bashCommand(script, 60_000, [
          archive,
          sql,
          ...conn.argv('mariadb'),
          '--batch',
          '--skip-column-names',
        ]),
      },
      ...conn.after,
    ];
  },
};

export function rollbackBeforeWritesPipeline(): Step[] {
  return [
    checkArchive,
    readOnlyStep('rollback:new-read-only', badRelease),
    readOnlyStep('rollback:old-read-only', previousRelease),
    reloadPhpStep('rollback:reload-php-read-only'),
    switchStep('rollback:switch-back', 'Switch current back to the previous release', previousRelease),
    // PHP's realpath cache may resolve <root>/current to the new release until a reload: new code on the old
    // database would redirect every page to install/ (main.inc.php l.513-526), so no swap before it
    reloadPhpStep('rollback:reload-php-switched'),
    swapBackDatabase,
    relinkStep('rollback:old-writable', previousRelease),
    reloadPhpStep('rollback:reload-php'),
    relinkStep('rollback:new-relink', badRelease),
    resumeCronStep('rollback:cron-resume'),
    relockStep('rollback:relock'),
    markBadRelease,
  ];
}
