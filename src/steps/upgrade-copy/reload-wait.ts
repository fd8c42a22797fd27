import type { Step } from '../step.js';
import { upgradeFacts } from '../upgrade/context.js';

/**
 * Issue 19: PHP-FPM reloaded, and waited for. A reload (SIGUSR2, also what Debian's php-fpm unit runs for
 * `systemctl reload`) returns at once while the old workers, with their OPcache and realpath cache (120 s by default,
 * so `current` and a replaced conf.php may still resolve to the old files), keep serving until the master re-execs.
 * Seen on the fixture: a login right after the reload still ran with the read-only flag. So: the master's workers
 * are listed, the signal sent, and the step ends once none of those workers is left (at most 10 s).
 * Constant script: $1 systemd|pidfile, $2 the service or the pid file.
 */
export const reloadWaitScript = [
  'if [ "$1" = systemd ]; then pid="$(systemctl show -p MainPID --value "$2")"; else pid="$(cat "$2")"; fi',
  '[ -n "$pid" ] && [ "$pid" != 0 ] || { echo "php-fpm is not running" >&2; exit 1; }',
  'old="$(pgrep -P "$pid" | sort || true)"',
  'if [ "$1" = systemd ]; then systemctl reload "$2"; else kill -USR2 "$pid"; fi',
  'for _ in $(seq 200); do',
  '  sleep 0.05',
  '  [ -z "$old" ] && exit 0',
  '  left=""; for p in $old; do [ -d "/proc/$p" ] && left="$left $p"; done',
  '  [ -z "$left" ] && exit 0',
  'done',
  'echo "php-fpm workers$left still running 10 s after the reload" >&2; exit 1',
].join('\n');

export function reloadPhpWaitStep(id: string): Step {
  return {
    id,
    title: 'Reload PHP-FPM and wait until no old worker serves (OPcache, realpath cache)',
    policyRef: 'deploy.phase2.install-base',
    plan(ctx) {
      const reload = upgradeFacts(ctx).phpReload;
      if (reload.kind === 'none') return [];
      const target = reload.kind === 'systemd' ? reload.service : reload.path;
      return [
        {
          kind: 'run',
          description: `reload php-fpm (${reload.kind} ${target}) and wait for its old workers to end`,
          command: {
            sudo: true,
            argv: ['bash', '-c', reloadWaitScript, 'reload-php', reload.kind, target],
            timeoutMs: 30_000,
          },
        },
      ];
    },
  };
}
