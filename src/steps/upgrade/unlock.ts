import type { Step } from '../step.js';
import { fixedLayout } from './context.js';

/**
 * DOLIBARR.md §4: install.lock stays; DATA_ROOT/upgrade.unlock re-opens only the pages that define
 * ALLOWED_IF_UPGRADE_UNLOCK_FOUND (install/inc.php ~l.312). Created by the web user, who owns the data root.
 */
export const unlockUpgrade: Step = {
  id: 'upgrade:unlock',
  title: 'Allow the upgrade pages (upgrade.unlock; install.lock stays)',
  policyRef: 'deploy.phase2.run-installer',
  plan(ctx) {
    const l = fixedLayout(ctx);
    return [
      {
        kind: 'run',
        description: 'install.lock is in place',
        command: { sudo: true, argv: ['test', '-e', l.installLock] },
      },
      {
        kind: 'run',
        description: `create ${l.upgradeUnlock}`,
        command: { argv: ['touch', l.upgradeUnlock], asUser: ctx.plan.target.webUser },
      },
    ];
  },
};

/** Never leave upgrade.unlock behind (step5 removes it on the last pass; this makes sure), and install.lock stays. */
export function relockStep(id: string): Step {
  return {
    id,
    title: 'Lock the upgrade pages again (no upgrade.unlock; install.lock present)',
    policyRef: 'deploy.phase2.run-installer',
    plan(ctx) {
      const l = fixedLayout(ctx);
      return [
        {
          kind: 'run',
          description: `remove ${l.upgradeUnlock}`,
          command: { sudo: true, argv: ['rm', '-f', l.upgradeUnlock] },
        },
        {
          kind: 'run',
          description: 'install.lock is in place',
          command: { sudo: true, argv: ['test', '-e', l.installLock] },
        },
      ];
    },
  };
}
