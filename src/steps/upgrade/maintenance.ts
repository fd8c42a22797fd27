import type { Step } from '../step.js';
import { maintenanceFlagPath } from './context.js';

/**
 * Maintenance mode, only while the database migrates (issue 5): the web server answers 503 while
 * <root>/shared/maintenance.on exists (SiteOptions.maintenanceFlag in src/webserver/). A file test per request,
 * no reload needed, so turning it on and off costs nothing.
 */
export function maintenanceStep(id: string, on: boolean): Step {
  return {
    id,
    title: on ? 'Maintenance mode on (503 while the database changes)' : 'Maintenance mode off',
    policyRef: 'deploy.phase2.install-base',
    plan(ctx) {
      const flag = maintenanceFlagPath(ctx.plan.target.root);
      const argv = on ? ['touch', flag] : ['rm', '-f', flag];
      return [
        { kind: 'run', description: `${on ? 'create' : 'remove'} ${flag}`, command: { sudo: true, argv } },
      ];
    },
  };
}
