import type { Action, Step } from '../step.js';
import { upgradeFacts } from './context.js';

/**
 * After a switch, PHP-FPM is reloaded so no worker serves code cached by OPcache from the other release
 * (the nginx site resolves $realpath_root, and a reload empties OPcache for good measure). systemd on a
 * server; a pid file (kill -USR2, php-fpm's graceful reload) for a stand-alone php-fpm such as the tests'.
 */
export function reloadPhpStep(id: string): Step {
  return {
    id,
    title: 'Reload PHP-FPM (empties OPcache)',
    policyRef: 'deploy.phase2.install-base',
    plan(ctx) {
      const reload = upgradeFacts(ctx).phpReload;
      const actions: Action[] = [];
      if (reload.kind === 'systemd')
        actions.push({
          kind: 'run',
          description: `reload ${reload.service}`,
          command: { sudo: true, argv: ['systemctl', 'reload', reload.service] },
        });
      if (reload.kind === 'pidfile')
        actions.push({
          kind: 'run',
          description: `php-fpm graceful reload (USR2 to the pid in ${reload.path})`,
          // the listening socket survives the re-exec: requests wait in its backlog, none is refused
          command: { sudo: true, argv: ['sh', '-c', 'kill -USR2 "$(cat "$1")"', 'reload', reload.path] },
        });
      return actions;
    },
  };
}
