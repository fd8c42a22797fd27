import type { Host } from '../../../src/hosts/host.js';
import { performAction } from '../../../src/runner/perform.js';
import type { Step, StepContext } from '../../../src/steps/step.js';

export interface StepTiming {
  id: string;
  ms: number;
  skipped: boolean;
}

/** A plain sequential executor: skip what isDone() says is in place, perform each action, stop at the first failure. */
export async function runPipeline(host: Host, steps: Step[], ctx: StepContext): Promise<StepTiming[]> {
  const timings: StepTiming[] = [];
  for (const step of steps) {
    const started = Date.now();
    if (step.isDone && (await step.isDone(ctx, host))) {
      timings.push({ id: step.id, ms: Date.now() - started, skipped: true });
      continue;
    }
    for (const action of step.plan(ctx)) await performAction(host, action, step.id);
    timings.push({ id: step.id, ms: Date.now() - started, skipped: false });
  }
  return timings;
}
