import { cronFilePath } from '../install/configure-cron.js';
import { fixedLayout, upgradeFacts } from '../upgrade/context.js';
import type { Step, StepContext } from '../step.js';
import { readOnlyConfPhp, relinkReleaseConf, writeReleaseConf } from './conf-wrapper.js';

/**
 * Issue 19, the write-unavailable window: the old release keeps serving, read-only, while its database is copied
 * and the copy migrated. Dolibarr's scheduled jobs are paused for the window (a job would fail on every write, and
 * one that ran before the flag would write into tables being copied): cron ignores a file of /etc/cron.d whose
 * name has a dot (run-parts naming), so the file is renamed with a suffix and back.
 */
const pausedSuffix = '.mokodeploy-paused';

export const pauseCron: Step = {
  id: 'upgrade:cron-pause',
  title: "Pause Dolibarr's scheduled jobs for the window",
  policyRef: 'deploy.phase2.install-base',
  plan(ctx) {
    const file = cronFilePath(ctx);
    return [
      {
        kind: 'run',
        description: `${file} -> ${file}${pausedSuffix}`,
        command: {
          sudo: true,
          argv: ['sh', '-c', '[ ! -e "$1" ] || mv -f "$1" "$1$2"', 'pause-cron', file, pausedSuffix],
        },
      },
    ];
  },
};

export function resumeCronStep(id: string): Step {
  return {
    id,
    title: "Resume Dolibarr's scheduled jobs",
    policyRef: 'deploy.phase2.install-base',
    plan(ctx) {
      const file = cronFilePath(ctx);
      return [
        {
          kind: 'run',
          description: `${file}${pausedSuffix} -> ${file}`,
          command: {
            sudo: true,
            argv: ['sh', '-c', '[ ! -e "$1$2" ] || mv -f "$1$2" "$1"', 'resume-cron', file, pausedSuffix],
          },
        },
      ];
    },
  };
}

/** A release's own conf.php with the read-only flag over its symlink (takes effect with the next PHP-FPM reload). */
export function readOnlyStep(id: string, release: (ctx: StepContext) => string): Step {
  return {
    id,
    title: "Read-only mode ($dolibarr_main_db_readonly in the release's own conf.php)",
    policyRef: 'deploy.phase2.install-base',
    plan: (ctx) => [
      writeReleaseConf(ctx, release(ctx), readOnlyConfPhp(fixedLayout(ctx).confPhp), 'read-only'),
    ],
  };
}

/** A release's conf.php back to the symlink to the shared one (writable again after the next reload). */
export function relinkStep(id: string, release: (ctx: StepContext) => string): Step {
  return {
    id,
    title: "The release's conf.php is the shared one again (read-only mode off)",
    policyRef: 'deploy.phase2.install-base',
    plan: (ctx) => [relinkReleaseConf(ctx, release(ctx))],
  };
}

export const previousRelease = (ctx: StepContext): string => upgradeFacts(ctx).previousRelease;

/** The served (old) release goes read-only while its database is copied. */
export const readOnlyOn = readOnlyStep('upgrade:read-only-on', previousRelease);

/** The old release back to the shared conf.php: writable again (before the switch), or ready for a rollback. */
export const readOnlyOffStep = (id: string): Step => relinkStep(id, previousRelease);
