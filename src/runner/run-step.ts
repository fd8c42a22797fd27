import type { Step } from '../steps/step.js';
import { MokoError } from '../core/errors.js';
import { redact } from '../core/secret.js';
import type { EventSink } from './events.js';
import type { Journal } from './journal.js';
import { CommandError, performAction } from './perform.js';
import { outputTail } from './output-tail.js';
import { withoutSecrets } from './facts.js';
import { planStep } from './planned.js';
import type { RunOptions, StepOutcome } from './run-steps.js';

/** What one invocation carries from step to step. */
export interface RunState {
  opts: RunOptions;
  journal: Journal;
  emit: EventSink;
  runId: string;
  started: number;
  facts: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** Number of the next action across the whole run (as in the dry-run listing). */
  number: number;
  outcomes: StepOutcome[];
}

/** One step: skip it when the journal or its probe says it is done, else perform its actions. */
export async function runOne(state: RunState, step: Step, index: number): Promise<void> {
  const { opts, journal, emit, runId } = state;
  const ctx = { ...opts.ctx, facts: state.facts, outputs: state.outputs };
  const planned = planStep(step, ctx, index, state.number);
  state.number += planned.actions.length;
  const base = { step: step.id, index, total: opts.steps.length };
  const finish = (status: StepOutcome['status'], outputs: Record<string, unknown>, durationMs: number) => {
    state.outputs = { ...state.outputs, ...outputs };
    state.outcomes.push({ step: step.id, status, durationMs });
    if (status === 'done') emit({ type: 'step-done', at: now(), ...base, durationMs });
    else emit({ type: 'step-skipped', at: now(), ...base, title: step.title, reason: status });
  };
  const fromJournal = journal.resume.done.get(step.id);
  if (fromJournal) return finish('journal', { ...planned.outputs, ...fromJournal }, 0);
  const stepStarted = Date.now();
  const outputs = withoutSecrets(planned.outputs);
  try {
    if (step.isDone && (await step.isDone(ctx, opts.host))) {
      journal.append({
        type: 'step-done',
        at: now(),
        runId,
        step: step.id,
        durationMs: 0,
        outputs,
        skipped: 'in-place',
      });
      return finish('in-place', planned.outputs, 0);
    }
    journal.append({ type: 'step-started', at: now(), runId, step: step.id });
    emit({ type: 'step-start', at: now(), ...base, title: step.title });
    for (const a of planned.actions) {
      emit({ type: 'command', at: now(), step: step.id, number: a.number, text: a.text });
      await performAction(opts.host, a.action, step.id);
    }
  } catch (e) {
    const error = asMokoError(e, step.id);
    const undone = step.checks ? { undone: [...step.checks] } : {};
    const output = failureOutput(error);
    journal.append({
      type: 'run-failed',
      at: now(),
      runId,
      step: step.id,
      error: redact(error.message),
      ...undone,
      ...(output.length ? { output } : {}),
    });
    emit({ type: 'step-failed', at: now(), ...base, error });
    emit({ type: 'run-failed', at: now(), durationMs: Date.now() - state.started, step: step.id });
    throw error;
  }
  const durationMs = Date.now() - stepStarted;
  journal.append({ type: 'step-done', at: now(), runId, step: step.id, durationMs, outputs });
  finish('done', planned.outputs, durationMs);
}

/** What the failing command printed (its tail), else the error's own details (the file or command it was at). */
function failureOutput(error: MokoError): string[] {
  if (error instanceof CommandError && error.output.trim() !== '') return outputTail(error.output);
  return outputTail(error.details.join('\n'));
}

function asMokoError(e: unknown, stepId: string): MokoError {
  if (e instanceof MokoError) return e;
  return new MokoError('target', `step ${stepId} failed: ${redact((e as Error).message ?? String(e))}`, {
    where: stepId,
  });
}

const now = (): string => new Date().toISOString();
