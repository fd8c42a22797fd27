import { renderPhpFpmPool } from '../../webserver/php-fpm-pool.js';
import type { Action, Step } from '../step.js';
import { installFacts } from './context.js';
import { fpmPoolFile, fpmSocketPath, phpMajorMinor } from './web-names.js';

/** A PHP-FPM pool for the client (running as the web user), then a reload of PHP-FPM. */
export const phpFpmPool: Step = {
  id: 'install:php-fpm-pool',
  title: 'PHP-FPM pool for the site',
  policyRef: 'deploy.phase2.install-base',
  plan(ctx) {
    const t = ctx.plan.target;
    const content = renderPhpFpmPool({
      name: `mokocrm-${ctx.plan.client}`,
      user: t.webUser,
      group: t.webGroup,
      socket: fpmSocketPath(ctx),
      listenOwner: t.webUser,
      listenGroup: t.webGroup,
    });
    const actions: Action[] = [
      {
        kind: 'write',
        description: `pool ${fpmPoolFile(ctx)}`,
        file: { path: fpmPoolFile(ctx), content, mode: 0o644, owner: 'root', group: 'root' },
      },
    ];
    if ((installFacts(ctx).serviceManager ?? 'systemd') === 'systemd') {
      const service = t.phpFpmService ?? `php${phpMajorMinor(ctx)}-fpm`;
      actions.push({
        kind: 'run',
        description: `reload ${service}`,
        command: { sudo: true, argv: ['systemctl', 'reload-or-restart', service] },
      });
    }
    return actions;
  },
};
