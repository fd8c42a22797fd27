import { cronFilePath } from '../install/configure-cron.js';
import { fixedLayout, upgradeFacts } from '../upgrade/context.js';
import type { Step, StepContext } from '../step.js';
import { readOnlyConfPhp, relinkReleaseConf, writeReleaseConf } from './conf-wrapper.js';

/**
 * Dolibarr's security events (core/triggers/interface_20_all_Logevents.class.php EVENT_ACTION_DICT, l.35-47 in
 * 19.0.4 and 20.0.2). With MAIN_LOGEVENTS_<code> set, the trigger INSERTs into llx_events (core/class/events.class.php
 * create()) and returns -1 when that fails; for USER_LOGIN, main.inc.php (l.1201-1220 in 19.0.4, l.1274-1293 in
 * 20.0.2) then rolls back, destroys the session and prints "Error in some triggers USER_LOGIN": in read-only mode
 * nobody could log in. conf.class.php setValues() (l.342-347 in 19.0.4, l.382-387 in 20.0.2) lets
 * $_SERVER['DOLIBARR_<constant>'] override a constant read from llx_const, and conf.php is included before it
 * (filefunc.inc.php l.140, master.inc.php l.210): so the window's conf.php turns event logging off for its requests
 * only, without writing llx_const. The events of the window could not have been written anyway.
 */
export const logEventCodes = [
  'USER_LOGIN',
  'USER_LOGIN_FAILED',
  'USER_LOGOUT',
  'USER_CREATE',
  'USER_MODIFY',
  'USER_NEW_PASSWORD',
  'USER_ENABLEDISABLE',
  'USER_DELETE',
  'USERGROUP_CREATE',
  'USERGROUP_MODIFY',
  'USERGROUP_DELETE',
] as const;

/**
 * The served release's conf.php for the window: the read-only flag (conf-wrapper.ts), security events off (above),
 * and PHP's own session files instead of Dolibarr's sessions in llx_session: with `$php_session_save_handler = 'db'`
 * (main.inc.php l.338 / l.401, core/lib/phpsessionindb.lib.php dolSessionWrite()) every session write is an
 * INSERT/UPDATE refused in read-only mode, so no login would hold. Sessions opened before the window are not in
 * those files: their users log in again (and once more after the switch, back on llx_session).
 */
export function readOnlyWindowConfPhp(sharedConf: string): string {
  const events = logEventCodes.map((c) => `$_SERVER['DOLIBARR_MAIN_LOGEVENTS_${c}'] = '';\n`).join('');
  const sessions =
    "if (isset($php_session_save_handler) && $php_session_save_handler === 'db') {\n\t$php_session_save_handler = '';\n}\n";
  return `${readOnlyConfPhp(sharedConf)}${events}${sessions}`;
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
 * A release's own conf.php with the read-only flag (readOnlyWindowConfPhp) over its symlink (takes effect with the
 * next PHP-FPM reload).
 */
export function readOnlyStep(id: string, release: (ctx: StepContext) => string): Step {
  return {
    id,
    title: "Read-only mode ($dolibarr_main_db_readonly in the release's own conf.php)",
    policyRef: 'deploy.phase2.install-base',
    plan: (ctx) => [
      writeReleaseConf(ctx, release(ctx), readOnlyWindowConfPhp(fixedLayout(ctx).confPhp), 'read-only'),
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
