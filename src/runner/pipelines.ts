import type { Host } from '../hosts/host.js';
import type { Plan } from '../core/plan.js';
import { refused } from '../core/errors.js';
import type { Step } from '../steps/step.js';
import { gatherInstallFacts, installPipeline } from '../steps/install/index.js';

/** What the engine runs for a deployment: its steps and how to read the facts they plan from. */
export interface Pipeline {
  name: string;
  steps: Step[];
  gatherFacts(host: Host): Promise<Record<string, unknown>>;
}

/** The pipeline for a plan's kind (policy "Deployment Procedures"); kinds not automated yet are refused. */
export function pipelineFor(plan: Plan): Pipeline {
  if (plan.kind === 'new') {
    return {
      name: 'install',
      steps: installPipeline(),
      gatherFacts: async (host) => ({ ...(await gatherInstallFacts(host, plan)) }),
    };
  }
  throw refused(`deployments of kind "${plan.kind}" are not automated yet`, {
    fix: `carry it out by hand and record it: mokodeploy run-record ${plan.id ?? plan.client} --started … --finished … --evidence …`,
  });
}
