import { targetLayout } from '../../dolibarr/layout.js';
import { layoutOf } from '../install/context.js';
import type { Action, Step, StepContext } from '../step.js';
import { carryOver } from '../upgrade/carry-over.js';
import { upgradeFacts } from '../upgrade/context.js';
import { ownConfMarker, ownReleaseConfFor, writeOwnReleaseConf } from './release-conf.js';
import { reloadWaitScripts } from './reload-wait.js';

/**
 * Issue 19: the new release of an upgrade by copy gets its own conf.php when it is created (release-conf.ts),
 * instead of the symlink to the shared one that the in-place engine's carry-over makes (upgrade/carry-over.ts,
 * unchanged for `--in-place`); custom modules are carried over the same way. Same step id: a run killed before
 * this change resumes at the same place.
 */
export const carryOverOwnConf: Step = {
  ...carryOver,
  title: 'Carry custom modules over; the new release gets its own conf.php (requires the shared one)',
  plan(ctx) {
    const links = (a: Action) => a.kind === 'run' && a.command.argv[0] === 'ln';
    return [
      writeOwnReleaseConf(ctx, layoutOf(ctx).releaseName),
      ...carryOver.plan(ctx).filter((a) => !links(a)),
    ];
  },
};

/**
 * A site installed before release conf.php files were their own (a symlink to the shared conf.php, or a conf.php
 * an older mokodeploy wrote for one upgrade) is converted once. The file is replaced atomically, but PHP-FPM keeps
 * resolving the path to the shared file for realpath_cache_ttl (120 s by default) and OPcache keeps the relative
 * `include_once 'conf/conf.php'` of filefunc.inc.php keyed to the shared script (opcache.revalidate_path = 0, the
 * default) until it is reset: so when the release converted is the one served, PHP-FPM is reloaded once, here,
 * outside any write-unavailable window. Later upgrades find the own conf.php and do nothing.
 * Script: $1 marker, $2 `current`, then (conf.php, its new content's temp file, release dir) per release; the
 * reload's target (pid file or service) is the last argument.
 */
const convertScript = [
  'marker="$1"; current="$2"; shift 2',
  'reload=0',
  'while [ $# -gt 1 ]; do',
  '  conf="$1"; tmp="$2"; rel="$3"; shift 3',
  '  if [ ! -d "$(dirname "$conf")" ] || { [ -f "$conf" ] && [ ! -L "$conf" ] && grep -qF -- "$marker" "$conf"; }; then',
  '    rm -f "$tmp"; echo "$conf: own conf.php already"; continue',
  '  fi',
  '  mv -Tf "$tmp" "$conf" || exit 1',
  '  echo "$conf: converted to its own conf.php"',
  '  [ "$(readlink -f "$current")" != "$(readlink -f "$rel")" ] || reload=1',
  'done',
  '[ "$reload" = 1 ] || exit 0',
  'set -- "$1"',
].join('\n');

export const convertScripts = {
  pidfile: `${convertScript}\n${reloadWaitScripts.pidfile}`,
  systemd: `${convertScript}\n${reloadWaitScripts.systemd}`,
  none: `${convertScript}\nexit 0`,
};

export function ownConfStep(id: string, releases: (ctx: StepContext) => string[]): Step {
  return {
    id,
    title:
      'Releases with their own conf.php (a site installed before: converted once, PHP-FPM reloaded once)',
    policyRef: 'deploy.phase2.install-base',
    plan(ctx) {
      const reload = upgradeFacts(ctx).phpReload;
      const current = targetLayout(ctx.plan.target.root, ctx.plan.target.dataRoot, 'unused').currentLink;
      const writes: Action[] = [];
      const args: string[] = [];
      for (const release of releases(ctx)) {
        const l = targetLayout(ctx.plan.target.root, ctx.plan.target.dataRoot, release);
        const tmp = `${l.htdocs}/conf/.conf.php.mokodeploy-own`;
        // the temp file only where the release is (a release gone is left alone)
        writes.push({
          kind: 'run',
          description: `${release}: its own conf.php prepared beside the current one`,
          command: {
            sudo: true,
            argv: [
              'sh',
              '-c',
              '[ ! -d "$1" ] || { cat > "$2" && chmod "$3" "$2" && chown "$4" "$2"; }',
              'own-conf',
              `${l.htdocs}/conf`,
              tmp,
              ctx.policy.procedures.fileModes.confPhp,
              `root:${ctx.plan.target.webGroup}`,
            ],
            stdin: ownReleaseConfFor(ctx, release),
          },
        });
        args.push(l.releaseConfPhp, tmp, l.releaseDir);
      }
      const target =
        reload.kind === 'systemd' ? reload.service : reload.kind === 'pidfile' ? reload.path : '';
      return [
        ...writes,
        {
          kind: 'run',
          description: `convert ${releases(ctx).join(', ')} to their own conf.php if needed (reload PHP-FPM once if the served one was)`,
          command: {
            sudo: true,
            argv: [
              'bash',
              '-c',
              convertScripts[reload.kind],
              'own-conf',
              ownConfMarker,
              current,
              ...args,
              target,
            ],
            timeoutMs: 30_000,
          },
        },
      ];
    },
  };
}
