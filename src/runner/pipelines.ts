import type { Host } from '../hosts/host.js';
import type { Plan } from '../core/plan.js';
import { refused } from '../core/errors.js';
import type { Step } from '../steps/step.js';
import { gatherInstallFacts, installPipeline, type InstallFacts } from '../steps/install/index.js';

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
      gatherFacts: async (host) => ({
        ...(await gatherInstallFacts(host, plan, installFactsFromPlan(plan))),
      }),
    };
  }
  const id = plan.id ?? plan.client;
  throw refused(`deploy runs the install of a new deployment; this one is of kind "${plan.kind}"`, {
    fix:
      plan.kind === 'upgrade'
        ? `upgrade it with: mokodeploy upgrade ${id}`
        : `carry it out by hand and record it: mokodeploy run-record ${id} --started … --finished … --evidence …`,
  });
}

/** What the plan says about the target's service management, as install facts. */
export function installFactsFromPlan(plan: Plan): Partial<InstallFacts> {
  const t = plan.target;
  return {
    serviceManager: t.serviceManager,
    ...(t.cronDir ? { cronDir: t.cronDir } : {}),
    ...(t.phpFpmSocket ? { fpmSocket: t.phpFpmSocket } : {}),
  };
}
