import { telemetryConstants } from '../../integrations/telemetry.js';
import type { Step } from '../step.js';
import { integrationTool } from './context.js';

/**
 * Issue 17 "Telemetry": client installs do not send Dolibarr's anonymous first ping unless the plan opts in
 * (`dolibarr.telemetry: true`). Written through dolibarr_set_const() by set-constants.php (src/integrations/telemetry.ts
 * for the Dolibarr facts). Runs in every new install and in a deploy of kind integration; an upgrade must run it
 * again after Dolibarr's upgrade2.php, which re-arms the ping.
 */
function telemetryStep(id: string): Step {
  return {
    id,
    title: "Dolibarr's anonymous first ping off unless the plan opts in",
    policyRef: 'deploy.phase2.configure-integrations',
    plan(ctx) {
      const constants = telemetryConstants(ctx.plan.dolibarr.telemetry === true, new Date());
      if (constants.length === 0) return [];
      return [
        {
          kind: 'run',
          description: "first ping off: MAIN_FIRST_PING_OK_ID = 'disabled' (entities 0 and 1)",
          command: integrationTool(ctx, 'set-constants.php', { constants }),
        },
      ];
    },
  };
}

/** In a new install, after the company and mail constants. */
export const installTelemetry = telemetryStep('install:telemetry');
/** In a deploy of kind integration (e.g. after an upgrade re-armed the ping). */
export const configureTelemetry = telemetryStep('integrations:telemetry');
