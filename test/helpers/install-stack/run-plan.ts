import type { Plan } from '../../../src/core/plan.js';
import { Journal, runSteps } from '../../../src/runner/index.js';
import { pipelineFor } from '../../../src/runner/pipelines.js';
import type { InstallStack } from './index.js';

export interface RunPlanOptions {
  /** The run's store: its journal goes under it. */
  storeDir: string;
  deploymentId: string;
  planHash: string;
  /** The plan's YAML file, when the pipeline should point into it (file:line:col in its errors). */
  planFile?: string;
  dryRun?: boolean;
}

/**
 * A plan's own pipeline (pipelineFor: the steps `deploy` runs for its kind) on the stack's target through the real
 * runner and a journal, as `mokodeploy deploy` runs it, without the CLI around it.
 */
export async function runPlanOnStack(stack: InstallStack, plan: Plan, o: RunPlanOptions) {
  const pipeline = pipelineFor(plan, o.planFile ? { planFile: o.planFile } : {});
  const facts = await pipeline.gatherFacts(stack.host);
  const journal = Journal.open({ storeDir: o.storeDir, deploymentId: o.deploymentId, planHash: o.planHash });
  const ctx = { ...stack.ctx, plan, facts, outputs: {} };
  return runSteps({ host: stack.host, steps: pipeline.steps(facts), ctx, journal, dryRun: o.dryRun });
}
