import { bashCommand } from '../../backup/bash.js';
import { dbConnection } from '../../backup/connection.js';
import { liveDatabase } from '../../backup/live-database.js';
import { layoutOf } from '../install/context.js';
import type { Step, StepContext } from '../step.js';
import { upgradeFacts } from '../upgrade/context.js';
import { switchStep } from '../upgrade/switch-release.js';
import { relockStep } from '../upgrade/unlock.js';
import {
  fenceEndStep,
  fenceHeldStep,
  fenceReadOnlyStep,
  fenceReleaseStep,
} from '../upgrade-copy/fence-steps.js';
import { previousRelease, relinkStep, resumeCronStep } from '../upgrade-copy/read-only.js';
import { flipReloadStep } from '../upgrade-copy/reload-wait.js';
import { ownConfStep } from '../upgrade-copy/own-conf.js';
import { clearReadOnly, pinDatabase } from '../upgrade-copy/release-conf.js';
import { sharedConfDatabaseStep } from '../upgrade-copy/shared-conf.js';
import { checkNoWritesStep } from '../upgrade-copy/write-mark.js';
import { markBadRelease } from './mark-bad.js';

/**
 * Issue 19: the rollback of an upgrade by copy before the new release accepted writes. Nothing is restored, no
 * table renamed and (nginx) PHP-FPM not reloaded: the old database was never written (read-only during the copy,
 * then left whole when the site moved to the copy), so the old release is pointed at it again and `current` switched
 * back. Every change is a state file the releases' own conf.php files test per request (upgrade-copy/release-conf.ts).
 * In order:
 * - freeze: the old release's database state file naming the old database; the new release read-only (its state
 *   file) and a write fence on its database (upgrade-copy/fence-steps.ts: requests that started before may go on
 *   reading, none can write; no wait for them);
 * - the check: the live database measured against the mark taken at the switch (upgrade-copy/write-mark.ts); any
 *   difference stops here (run-before-writes.ts then makes the new release writable again and the verified restore
 *   is the way back: a client's write is never dropped silently);
 * - back: the fence still holds, `current` to the old release (its next request is served by it, writable, on the
 *   old database); then the shared conf.php names the old database, the new release's read-only files go, cron
 *   resumes, the release is bad; last, the fence is released: writers blocked on it are killed (their write would
 *   land in the abandoned copy), the new release's requests still in flight finished (bounded), the fence ended.
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

/**
 * The old release (not served since the switch) on the old database, writable: its database state file names the
 * archive (release-conf.ts: read per request, no reload), its read-only state files removed (an upgrade stopped
 * between its switch and `upgrade:read-only-off` left them).
 */
const oldOnArchive: Step = {
  id: 'rollback:old-conf',
  title: 'The old release uses the old database, writable (its state files)',
  policyRef: 'rollback.process',
  plan: (ctx) => [
    pinDatabase(ctx, previousRelease(ctx), archiveOf(ctx)),
    ...clearReadOnly(ctx, previousRelease(ctx), 'both'),
  ],
};

/** Writes stopped on the new release, the old one ready on the old database, then the check for writes. */
export function rollbackFreezeSteps(o: { check: boolean }): Step[] {
  return [
    checkArchive,
    // whatever step the upgrade stopped at after its switch: the new release may follow the shared conf.php
    sharedConfDatabaseStep('rollback:shared-conf-live', liveDatabase),
    // an upgrade by an older mokodeploy left symlinks: converted once (a reload only if the served one was)
    ownConfStep('rollback:own-conf', (ctx) => [badRelease(ctx), previousRelease(ctx)]),
    // the old release is not served: ready first, so the new one's read-only span is the fence and the check only
    oldOnArchive,
    // read-only from its next request, and no write from any request from the fence on (reads go on; no reload)
    fenceReadOnlyStep('rollback:new-read-only', badRelease),
    ...(o.check ? [checkNoWritesStep('rollback:check-writes')] : []),
    fenceHeldStep(fenceHeldStepId),
  ];
}

export function rollbackBackSteps(): Step[] {
  return [
    switchStep('rollback:switch-back', 'Switch current back to the previous release', previousRelease),
    flipReloadStep('rollback:reload-php'),
    // the old release keeps its database state file (it names what the shared conf.php names from here on)
    sharedConfDatabaseStep('rollback:shared-conf', archiveOf),
    // the new release (not served) as the old code left it: writable, on the copy it migrated
    relinkStep('rollback:new-relink', badRelease),
    resumeCronStep('rollback:cron-resume'),
    relockStep('rollback:relock'),
    markBadRelease,
    // after the window: the abandoned copy's blocked writers refused, its reads finished, the fence ended
    fenceReleaseStep(fenceReleaseStepId),
  ];
}

export const fenceHeldStepId = 'rollback:fence-held';
export const fenceReleaseStepId = 'rollback:fence-release';

/** A failure once `current` moved: the fence released all the same; the switch itself failed: ended. */
export const fenceAfterFailure = (moved: boolean): Step[] => [
  moved ? fenceReleaseStep('rollback-release:fence-release') : fenceEndStep('rollback-release:fence-end'),
];

export function rollbackBeforeWritesPipeline(o: { check: boolean } = { check: true }): Step[] {
  return [...rollbackFreezeSteps(o), ...rollbackBackSteps()];
}

/**
 * Writes were found (or the freeze failed): the fence ended (blocked writers go on, nobody killed), the new release
 * writable again from its next request (it still serves), the old release (not served) back on the shared
 * conf.php's database. No reload.
 */
export function unfreezePipeline(): Step[] {
  return [
    fenceEndStep('rollback-undo:fence-end'),
    relinkStep('rollback-undo:new-writable', badRelease),
    relinkStep('rollback-undo:old-relink', previousRelease, { unpin: true }),
  ];
}

/** The step whose failure means "the new release took writes" (or cannot tell). */
export const checkWritesStepId = 'rollback:check-writes';
