import type { Step } from '../step.js';
import { upgradeFacts } from '../upgrade/context.js';

/**
 * Issue 19: PHP-FPM reloaded, and waited for. A reload (SIGUSR2, also what Debian's php-fpm unit runs for
 * `systemctl reload`) returns at once while the old workers, with their OPcache and realpath cache (120 s by default,
 * so `current` and a replaced conf.php may still resolve to the old files), keep serving until the master re-execs.
 * Seen on the fixture: a login right after the reload still ran with the read-only flag. So: the master's workers
 * are listed, the signal sent, and the step ends once none of those workers is left (at most 10 s).
 */
const waitForOldWorkers = [
  'for _ in $(seq 200); do',
  '  sleep 0.05',
  '  [ -z "$old" ] && break',
  '  left=""; for p in $old; do [ -d "/proc/$p" ] && left="$left $p"; done',
  '  [ -z "$left" ] && break',
  'done',
  '[ -z "${left:-}" ] || { echo "php-fpm workers$left still running 10 s after the reload" >&2; exit 1; }',
  // the re-executed master has started its new workers (its signal handlers are set again: a second reload sent
  // before that would end it) — at most 2 s, a pool with pm = ondemand starts none until a request comes
  'for _ in $(seq 40); do [ -n "$(pgrep -P "$pid" || true)" ] && exit 0; sleep 0.05; done',
  'exit 0',
];

/** Constant, per way of reloading: $1 the pid file, or the systemd service. */
export const reloadWaitScripts = {
  pidfile: [
    'pid="$(cat "$1")"',
    'old="$(pgrep -P "$pid" | sort || true)"',
    'kill -USR2 "$pid"',
    ...waitForOldWorkers,
  ].join('\n'),
  systemd: [
    'pid="$(systemctl show -p MainPID --value "$1")"',
    'old="$(pgrep -P "$pid" | sort || true)"',
    'systemctl reload "$1"',
    ...waitForOldWorkers,
  ].join('\n'),
};

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
            argv: ['bash', '-c', reloadWaitScripts[reload.kind], 'reload-php', target],
            timeoutMs: 30_000,
          },
        },
      ];
    },
  };
}

/**
 * The reload at a `current` flip (the switch, a rollback's switch back), kept where the flip alone is not enough.
 * nginx passes `$realpath_root` (webserver/nginx-site.ts): SCRIPT_FILENAME is the release's real path, every path
 * PHP then uses is the release's own (release-conf.ts), so nothing cached names the other release: no reload.
 * Apache's mod_proxy_fcgi passes the path through the symlink (<root>/current/htdocs/…): PHP's realpath cache
 * (realpath_cache_ttl) and OPcache, keyed by that path, would keep serving the old release's scripts, so Apache
 * targets keep the reload at the flip (the read-only and write switches need none there either).
 */
export function flipReloadStep(id: string): Step {
  const reload = reloadPhpWaitStep(id);
  return {
    ...reload,
    title: 'Reload PHP-FPM where a `current` flip needs it (Apache: SCRIPT_FILENAME through the symlink)',
    plan: (ctx) => (ctx.plan.target.webServer === 'apache' ? reload.plan(ctx) : []),
  };
}
