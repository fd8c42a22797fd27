import type { Host } from '../hosts/host.js';
import { MokoError, inputError } from '../core/errors.js';
import { redact } from '../core/secret.js';
import type { Step, StepContext } from '../steps/step.js';
import { ignoreEvents, type EventSink, type SkipReason } from './events.js';
import type { Journal } from './journal.js';
import { acquireLock, releaseLock, type Lock, type LockOwner } from './lock.js';
import { performAction } from './perform.js';
import { planRun, planStep, renderDryRun, assertUniqueIds } from './planned.js';

export interface RunOptions {
  host: Host;
  steps: Step[];
  ctx: StepContext;
  /** Required for a real run: where progress is recorded for resume. */
  journal?: Journal;
  /** Take the target's lock for the run (normally always; tests of the runner alone may omit it). */
  lock?: { root: string; sudo?: boolean; person: string; reason: string };
  events?: EventSink;
  /** Plan and list, touching neither the host nor the journal. */
  dryRun?: boolean;
}

export interface StepOutcome {
  step: string;
  status: 'done' | SkipReason;
  durationMs: number;
}

export interface RunOutcome {
  status: 'done' | 'dry-run';
  /** Wall time of this invocation, for the deployment's metrics. */
  durationMs: number;
  steps: StepOutcome[];
  outputs: Record<string, unknown>;
  /** The facts the steps ran with: on resume, those of the interrupted run (record them with the deployment). */
  facts: Record<string, unknown>;
  /** The dry-run listing (status 'dry-run' only). */
  listing?: string;
  /** Set when this run took over the lock of a dead run of the same deployment (to audit). */
  lockTakenOver?: LockOwner;
}

/** Run the steps in order on the host: lock, journal, skip what is done, stop at the first failure. */
export async function runSteps(opts: RunOptions): Promise<RunOutcome> {
  assertUniqueIds(opts.steps);
  if (opts.dryRun) {
    const resume = opts.journal?.resume;
    const ctx = { ...opts.ctx, facts: resume?.facts ?? opts.ctx.facts };
    const listing = renderDryRun(planRun(opts.steps, ctx, resume?.done));
    return { status: 'dry-run', durationMs: 0, steps: [], outputs: {}, facts: ctx.facts, listing };
  }
  const journal = opts.journal;
  if (!journal) throw inputError('bug: runSteps needs a journal for a real run');
  const emit = opts.events ?? ignoreEvents;
  const lock = opts.lock ? await takeLock(opts, journal, emit) : undefined;
  let outcome: Awaited<ReturnType<typeof runLocked>>;
  try {
    outcome = await runLocked(opts, journal, emit);
  } catch (e) {
    journal.close();
    // the run's own failure is what the person needs to see; a failed release is only a detail
    if (lock)
      await releaseLock(lock).catch(
        (r: Error) => e instanceof MokoError && e.details.push(`also: ${r.message}`),
      );
    throw e;
  }
  journal.close();
  if (lock) await releaseLock(lock);
  return { ...outcome, lockTakenOver: lock?.tookOver };
}

async function takeLock(opts: RunOptions, journal: Journal, emit: EventSink): Promise<Lock> {
  const { root, sudo, person, reason } = opts.lock!;
  const lock = await acquireLock(
    { host: opts.host, root, sudo },
    { person, reason, deploymentId: journal.deploymentId },
  );
  if (lock.tookOver) emit({ type: 'lock-taken-over', at: now(), previous: lock.tookOver });
  return lock;
}

async function runLocked(opts: RunOptions, journal: Journal, emit: EventSink) {
  const started = Date.now();
  const runId = `${journal.deploymentId}@${new Date(started).toISOString()}`;
  const total = opts.steps.length;
  const done = journal.resume.done;
  const facts = journal.resume.facts ?? opts.ctx.facts;
  journal.append({
    type: 'run-started',
    at: now(),
    runId,
    deploymentId: journal.deploymentId,
    planHash: journal.planHash,
    pid: process.pid,
    person: opts.lock?.person,
    facts,
  });
  emit({
    type: 'run-start',
    at: now(),
    deploymentId: journal.deploymentId,
    total,
    resumed: journal.resume.resumed,
  });
  const outcomes: StepOutcome[] = [];
  let outputs = { ...opts.ctx.outputs };
  let number = 1;
  for (const [index, step] of opts.steps.entries()) {
    const ctx = { ...opts.ctx, facts, outputs };
    const planned = planStep(step, ctx, index, number);
    number += planned.actions.length;
    const base = { step: step.id, index, total };
    const skip = (reason: SkipReason, stepOutputs: Record<string, unknown>) => {
      outputs = { ...outputs, ...stepOutputs };
      outcomes.push({ step: step.id, status: reason, durationMs: 0 });
      emit({ type: 'step-skipped', at: now(), ...base, title: step.title, reason });
    };
    const fromJournal = done.get(step.id);
    if (fromJournal) {
      skip('journal', { ...planned.outputs, ...fromJournal });
      continue;
    }
    const stepStarted = Date.now();
    try {
      if (step.isDone && (await step.isDone(ctx, opts.host))) {
        journal.append({
          type: 'step-done',
          at: now(),
          runId,
          step: step.id,
          durationMs: 0,
          outputs: planned.outputs,
          skipped: 'in-place',
        });
        skip('in-place', planned.outputs);
        continue;
      }
      journal.append({ type: 'step-started', at: now(), runId, step: step.id });
      emit({ type: 'step-start', at: now(), ...base, title: step.title });
      for (const a of planned.actions) {
        emit({ type: 'command', at: now(), step: step.id, number: a.number, text: a.text });
        await performAction(opts.host, a.action, step.id);
      }
    } catch (e) {
      const error = asMokoError(e, step.id);
      journal.append({ type: 'run-failed', at: now(), runId, step: step.id, error: redact(error.message) });
      emit({ type: 'step-failed', at: now(), ...base, error });
      emit({ type: 'run-failed', at: now(), durationMs: Date.now() - started, step: step.id });
      throw error;
    }
    const durationMs = Date.now() - stepStarted;
    journal.append({
      type: 'step-done',
      at: now(),
      runId,
      step: step.id,
      durationMs,
      outputs: planned.outputs,
    });
    outputs = { ...outputs, ...planned.outputs };
    outcomes.push({ step: step.id, status: 'done', durationMs });
    emit({ type: 'step-done', at: now(), ...base, durationMs });
  }
  const durationMs = Date.now() - started;
  journal.append({ type: 'run-finished', at: now(), runId, durationMs });
  emit({ type: 'run-done', at: now(), durationMs });
  return { status: 'done' as const, durationMs, steps: outcomes, outputs, facts };
}

function asMokoError(e: unknown, stepId: string): MokoError {
  if (e instanceof MokoError) return e;
  return new MokoError('target', `step ${stepId} failed: ${redact((e as Error).message ?? String(e))}`, {
    where: stepId,
  });
}

const now = (): string => new Date().toISOString();
