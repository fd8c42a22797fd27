import type { Step, StepContext } from '../step.js';
import { installFacts } from './context.js';
import { runPhpTool } from './tool-command.js';

/**
 * Modules every MokoCRM install gets besides the plan's: third parties + contacts (modSociete), products
 * (modProduct), scheduled jobs (modCron, policy Phase 3 "Verify cron jobs configured").
 */
export const baseModules = ['modSociete', 'modProduct', 'modCron'] as const;

export function modulesToEnable(ctx: StepContext): string[] {
  const custom = (installFacts(ctx).customModules ?? []).flatMap((m) =>
    m.descriptor ? [m.descriptor.className] : [],
  );
  return [...new Set([...baseModules, ...ctx.plan.modules, ...custom])];
}

/** Policy Phase 2 step 5 "Configure modules", through Dolibarr's activateModule() (php/enable-modules.ts). */
export const enableModules: Step = {
  id: 'install:modules',
  title: 'Enable Dolibarr and custom modules',
  policyRef: 'deploy.phase2.configure-system',
  plan(ctx) {
    const modules = modulesToEnable(ctx);
    return [
      {
        kind: 'run',
        description: `enable ${modules.join(', ')}`,
        command: runPhpTool(ctx, 'enable-modules.php', { modules }),
      },
    ];
  },
};
