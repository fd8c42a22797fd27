import type { Step } from '../step.js';
import { layoutOf } from './context.js';
import { rootOwnedTree, sudoRun } from './root-owned-tree.js';

/**
 * Policy Phase 2 step 1 "Set permissions": directories 755, files 644 (policy.procedures.fileModes).
 * Owner root instead of the policy snippet's www-data: the web server must not be able to rewrite code
 * (DOLIBARR.md §3 tested layout: htdocs root-owned read-only). Only the data root belongs to the web user
 * (0750). shared/conf is root:<web group> 0750 so only the web group can reach conf.php.
 */
export const setPermissions: Step = {
  id: 'install:set-permissions',
  title: 'Set owners and modes of the release, shared and data directories',
  policyRef: 'deploy.phase2.install-base',
  plan(ctx) {
    const l = layoutOf(ctx);
    const modes = ctx.policy.procedures.fileModes;
    const { webUser, webGroup } = ctx.plan.target;
    const run = sudoRun;
    return [
      ...rootOwnedTree(l.releaseDir, modes),
      run('shared directories', ['mkdir', '-p', l.sharedConfDir, l.toolsDir]),
      run('shared/conf readable by the web group only', ['chown', `root:${webGroup}`, l.sharedConfDir]),
      run('shared/conf mode', ['chmod', '750', l.sharedConfDir]),
      run('data root', ['mkdir', '-p', l.dataRoot]),
      run('data root owned by the web user', ['chown', `${webUser}:${webGroup}`, l.dataRoot]),
      run('data root mode', ['chmod', '750', l.dataRoot]),
    ];
  },
};
