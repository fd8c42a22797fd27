import { isDeepStrictEqual } from 'node:util';
import { inputError } from '../core/errors.js';
import type { Action, Step, StepContext } from '../steps/step.js';
import { describeAction } from './describe.js';

/** A step's actions as the runner will perform them, numbered across the whole run. */
export interface PlannedStep {
  step: Step;
  index: number;
  actions: { number: number; action: Action; text: string }[];
  /** Values this step's plan() added to ctx.outputs, for the steps after it (and the journal). */
  outputs: Record<string, unknown>;
}

/** Plan one step on a copy of the outputs so far; what plan() added or changed are its outputs. */
export function planStep(step: Step, ctx: StepContext, index: number, firstNumber: number): PlannedStep {
  const outputs = { ...ctx.outputs };
  const actions = step.plan({ ...ctx, outputs });
  const added = Object.fromEntries(
    Object.entries(outputs).filter(([key, value]) => !isDeepStrictEqual(ctx.outputs[key], value)),
  );
  return {
    step,
    index,
    actions: actions.map((action, i) => ({ number: firstNumber + i, action, text: describeAction(action) })),
    outputs: added,
  };
}

/** Plan every step in order (pure: no host), as `--dry-run` shows it. Steps in `done` are marked, not listed. */
export function planRun(steps: Step[], ctx: StepContext, done = new Map<string, Record<string, unknown>>()) {
  assertUniqueIds(steps);
  const planned: (PlannedStep & { done: boolean })[] = [];
  let outputs = { ...ctx.outputs };
  let number = 1;
  steps.forEach((step, index) => {
    const p = planStep(step, { ...ctx, outputs }, index, number);
    number += p.actions.length;
    outputs = { ...outputs, ...p.outputs, ...(done.get(step.id) ?? {}) };
    planned.push({ ...p, done: done.has(step.id) });
  });
  return planned;
}

/** The dry-run listing: every command in order, numbered, under the step it belongs to. */
export function renderDryRun(planned: ReturnType<typeof planRun>): string {
  const total = planned.length;
  const lines: string[] = [];
  for (const p of planned) {
    const head = `[${p.index + 1}/${total}] ${p.step.id} — ${p.step.title}`;
    if (p.done) {
      lines.push(`${head} (done by the interrupted run: skipped)`);
      continue;
    }
    lines.push(p.actions.length ? head : `${head} (nothing to do)`);
    for (const a of p.actions) lines.push(`  ${String(a.number).padStart(3)}. ${a.text}`);
  }
  return lines.join('\n');
}

export function assertUniqueIds(steps: Step[]): void {
  const seen = new Set<string>();
  for (const step of steps) {
    if (seen.has(step.id))
      throw inputError(`bug: two steps share the id "${step.id}" (the journal needs unique ids)`);
    seen.add(step.id);
  }
}
