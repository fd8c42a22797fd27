import { telemetryConstants } from '../../integrations/telemetry.js';
import type { Step } from '../step.js';
import { integrationTool } from './context.js';

/**
 * Issue 17 "Telemetry": client installs do not send Dolibarr's anonymous first ping unless the plan opts in
 * (`dolibarr.telemetry: true`). Written through dolibarr_set_const() by set-constants.php (src/integrations/telemetry.ts
 * for the Dolibarr facts). Runs in every new install, in a deploy of kind integration, and in every upgrade after
 * Dolibarr's upgrade2.php, which re-arms the ping (src/steps/upgrade-integrations.ts).
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
/**
 * In every upgrade, once the new release's migration ran: install/upgrade2.php
 * (20.0.2 l.620, 19.0.4 l.618) sets every MAIN_FIRST_PING_OK_ID to 'torefresh' when it succeeds, which brings the ping back.
 */
export const upgradeTelemetry = telemetryStep('upgrade:telemetry');
