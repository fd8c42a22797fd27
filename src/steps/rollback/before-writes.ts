import { bashCommand } from '../../backup/bash.js';
import { dbConnection } from '../../backup/connection.js';
import { liveDatabase } from '../../backup/live-database.js';
import { layoutOf } from '../install/context.js';
import type { Step, StepContext } from '../step.js';
import { fixedLayout, upgradeFacts } from '../upgrade/context.js';
import { switchStep } from '../upgrade/switch-release.js';
import { relockStep } from '../upgrade/unlock.js';
import { databaseConfPhp, writeReleaseConf } from '../upgrade-copy/conf-wrapper.js';
import { previousRelease, readOnlyStep, relinkStep, resumeCronStep } from '../upgrade-copy/read-only.js';
import { reloadPhpWaitStep as reloadPhpStep } from '../upgrade-copy/reload-wait.js';
import { sharedConfDatabaseStep } from '../upgrade-copy/shared-conf.js';
import { checkNoWritesStep } from '../upgrade-copy/write-mark.js';
import { markBadRelease } from './mark-bad.js';

/**
 * Issue 19: the rollback of an upgrade by copy before the new release accepted writes. Nothing is restored and no
 * table is renamed: the old database was never written (read-only during the copy, then left whole when the site
 * moved to the copy), so the old release is pointed at it again and `current` switched back. In order:
 * - freeze: the new release read-only (its writes refused from the reload on) and the old release's own conf.php
 *   naming the old database, one PHP reload;
 * - the check: the live database measured against the mark taken at the switch (upgrade-copy/write-mark.ts); any
 *   difference stops here (run-before-writes.ts then makes the new release writable again and the verified restore
 *   is the way back: a client's write is never dropped silently);
 * - back: `current` to the old release, one PHP reload; then, serving, the shared conf.php names the old database and
 *   both releases' conf.php are the symlink again, cron resumes, the new release is marked bad.
 * The copy the new release used stays whole under its name (for the analysis of what went wrong).
 */
const badRelease = (ctx: StepContext): string => upgradeFacts(ctx).badRelease ?? layoutOf(ctx).releaseName;

/** The old database the upgrade left: facts.archiveDatabase (recorded by the upgrade, or its run's start facts). */
export function archiveOf(ctx: StepContext): string {
  const named = (ctx.facts as { archiveDatabase?: unknown }).archiveDatabase;
  if (typeof named !== 'string' || named === '')
    throw new Error('bug: a rollback before writes planned without facts.archiveDatabase');
  return named;
}

/** The archive is there with its tables (else the verified restore is the way back). */
export const checkArchive: Step = {
  id: 'rollback:check-archive',
  title: 'The old database is there, whole, to go back to',
  policyRef: 'rollback.process',
  plan(ctx) {
    const conn = dbConnection(ctx);
    const archive = archiveOf(ctx);
    const sql = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '${archive.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    const script =
      'n="$("${@:3}" -e "$2")"; [ "$n" -gt 0 ] || { printf "the old database %s is not there to go back to: roll back from the backup\\n" "$1" >&2; exit 1; }';
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

const oldOnArchive: Step = {
  id: 'rollback:old-conf',
  title: "The old release's own conf.php names the old database",
  policyRef: 'rollback.process',
  plan: (ctx) => [
    writeReleaseConf(
      ctx,
      previousRelease(ctx),
      databaseConfPhp(fixedLayout(ctx).confPhp, archiveOf(ctx)),
      `on ${archiveOf(ctx)}`,
    ),
  ],
};

/** Writes stopped on the new release, the old one ready on the old database, then the check for writes. */
export function rollbackFreezeSteps(o: { check: boolean }): Step[] {
  return [
    checkArchive,
    // whatever step the upgrade stopped at after its switch: the read-only conf.php below loads the shared one
    sharedConfDatabaseStep('rollback:shared-conf-live', liveDatabase),
    readOnlyStep('rollback:new-read-only', badRelease),
    oldOnArchive,
    reloadPhpStep('rollback:reload-php-read-only'),
    ...(o.check ? [checkNoWritesStep('rollback:check-writes')] : []),
  ];
}

export function rollbackBackSteps(): Step[] {
  return [
    switchStep('rollback:switch-back', 'Switch current back to the previous release', previousRelease),
    reloadPhpStep('rollback:reload-php'),
    sharedConfDatabaseStep('rollback:shared-conf', archiveOf),
    relinkStep('rollback:old-relink', previousRelease),
    relinkStep('rollback:new-relink', badRelease),
    resumeCronStep('rollback:cron-resume'),
    relockStep('rollback:relock'),
    markBadRelease,
  ];
}

export function rollbackBeforeWritesPipeline(o: { check: boolean } = { check: true }): Step[] {
  return [...rollbackFreezeSteps(o), ...rollbackBackSteps()];
}

/** Writes were found: the new release writable again (it still serves), the old release's conf.php shared again. */
export function unfreezePipeline(): Step[] {
  return [
    relinkStep('rollback-undo:new-writable', badRelease),
    reloadPhpStep('rollback-undo:reload-php'),
    relinkStep('rollback-undo:old-relink', previousRelease),
  ];
}

/** The step whose failure means "the new release took writes" (or cannot tell). */
export const checkWritesStepId = 'rollback:check-writes';
