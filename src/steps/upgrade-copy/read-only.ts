import { cronFilePath } from '../install/configure-cron.js';
import { upgradeFacts } from '../upgrade/context.js';
import type { Step, StepContext } from '../step.js';
import { readOnlyConfPhp } from './conf-wrapper.js';
import {
  clearReadOnly,
  readOnlyExtras,
  setReadOnly,
  unpinDatabase,
  type ReadOnlyScope,
} from './release-conf.js';
import { drainActions } from './drain.js';

export { logEventCodes } from './log-events.js';

/**
 * The served release's conf.php for the window: the read-only flag (conf-wrapper.ts), security events off (above),
 * and PHP's own session files instead of Dolibarr's sessions in llx_session: with `$php_session_save_handler = 'db'`
 * (main.inc.php l.338 / l.401, core/lib/phpsessionindb.lib.php dolSessionWrite()) every session write is an
 * INSERT/UPDATE refused in read-only mode, so no login would hold. Sessions opened before the window are not in
 * those files: their users log in again (and once more after the switch, back on llx_session).
 */
export function readOnlyWindowConfPhp(sharedConf: string): string {
  return `${readOnlyConfPhp(sharedConf)}${readOnlyExtras('')}`;
}

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

/**
 * A release read-only from its next request on (the state file its own conf.php tests, release-conf.ts: no
 * reload), then drained: requests that read conf.php before the flag may still write, so the step ends once every
 * database connection of the site's account opened before it has closed (drain.ts).
 */
export function readOnlyStep(
  id: string,
  release: (ctx: StepContext) => string,
  scope: ReadOnlyScope = 'all',
): Step {
  return {
    id,
    title: `Read-only mode${scope === 'web' ? ' for the web' : ''} (the release's state file, then in-flight requests drained)`,
    policyRef: 'deploy.phase2.install-base',
    plan: (ctx) => [setReadOnly(ctx, release(ctx), scope), ...drainActions(ctx)],
  };
}

/** A release writable again from its next request (both read-only files removed); `unpin`: on the shared database. */
export function relinkStep(
  id: string,
  release: (ctx: StepContext) => string,
  o: { unpin?: boolean } = {},
): Step {
  return {
    id,
    title: `The release writable again${o.unpin ? ", on the shared conf.php's database" : ''}`,
    policyRef: 'deploy.phase2.install-base',
    plan: (ctx) => [
      ...clearReadOnly(ctx, release(ctx), 'both'),
      ...(o.unpin ? [unpinDatabase(ctx, release(ctx))] : []),
    ],
  };
}

export const previousRelease = (ctx: StepContext): string => upgradeFacts(ctx).previousRelease;

/** The served (old) release goes read-only while its database is copied. */
export const readOnlyOn = readOnlyStep('upgrade:read-only-on', previousRelease);

/**
 * The old release writable again. Before the switch (abort) it is served: its next request writes; its database
 * pin, if any, stays (it names the database it serves). After the switch (`unpin`) it is not served, and follows the
 * shared conf.php (which names the copy by then), so that a verified restore switching back to it serves the
 * database it restores (rollback/index.ts, which reloads PHP); a rollback before writes pins it to the old one again.
 * A served release is never unpinned: PHP may hold the shared conf.php compiled as it was (OPcache).
 */
export const readOnlyOffStep = (id: string, o: { unpin?: boolean } = {}): Step =>
  relinkStep(id, previousRelease, o);
