import type { Host } from '../hosts/host.js';
import { MokoError, inputError } from '../core/errors.js';
import { redact } from '../core/secret.js';
import type { Step, StepContext } from '../steps/step.js';
import { ignoreEvents, type EventSink, type SkipReason } from './events.js';
import type { Journal } from './journal.js';
import { acquireLock, releaseLock, type Lock, type LockOwner } from './lock.js';
import { performAction } from './perform.js';
import { withoutSecrets, resumedFacts } from './facts.js';
import { planRun, planStep, renderDryRun, assertUniqueIds } from './planned.js';

export interface RunOptions {
  host: Host;
  steps: Step[];
  ctx: StepContext;
  /** Required for a real run: where progress is recorded for resume. */
  journal?: Journal;
  /**
   * The target's lock: a request to take it for the run, or a lock the caller already holds (taken
   * before recording the run's start). Either way the runner releases it at the end. Omitted only
   * in tests of the runner alone.
   */
  lock?: LockRequest | Lock;
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
  /** Problems that did not fail the run (e.g. the lock could not be released: see `lock release`). */
  warnings: string[];
}

/** Run the steps in order on the host: lock, journal, skip what is done, stop at the first failure. */
export async function runSteps(opts: RunOptions): Promise<RunOutcome> {
  assertUniqueIds(opts.steps);
  if (opts.dryRun) {
    const resume = opts.journal?.resume;
    const ctx = { ...opts.ctx, facts: resumedFacts(opts.ctx.facts, resume?.facts) };
    const listing = renderDryRun(planRun(opts.steps, ctx, resume?.done));
    return {
      status: 'dry-run',
      durationMs: 0,
      steps: [],
      outputs: {},
      facts: ctx.facts,
      listing,
      warnings: [],
    };
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
  // the steps are done and journaled: a lock that cannot be released is a warning, not a failed run
  const warnings: string[] = [];
  if (lock)
    await releaseLock(lock).catch((e: Error) =>
      warnings.push(`the target lock was not released: ${e.message}`),
    );
  return { ...outcome, lockTakenOver: lock?.tookOver, warnings };
}

export interface LockRequest {
  root: string;
  sudo?: boolean;
  person: string;
  reason: string;
}

async function takeLock(opts: RunOptions, journal: Journal, emit: EventSink): Promise<Lock> {
  const request = opts.lock!;
  if ('owner' in request) return request;
  const { root, sudo, person, reason } = request;
  const lock = await acquireLock(
    { host: opts.host, root, sudo },
    { person, reason, deploymentId: journal.deploymentId },
  );
  if (lock.tookOver) emit({ type: 'lock-taken-over', at: now(), previous: lock.tookOver });
  return lock;
}

/** What one invocation carries from step to step. */
interface RunState {
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

async function runLocked(opts: RunOptions, journal: Journal, emit: EventSink) {
  const started = Date.now();
  const runId = `${journal.deploymentId}@${new Date(started).toISOString()}`;
  const facts = resumedFacts(opts.ctx.facts, journal.resume.facts);
  const state: RunState = {
    opts,
    journal,
    emit,
    runId,
    started,
    facts,
    outputs: { ...opts.ctx.outputs },
    number: 1,
    outcomes: [],
  };
  const { deploymentId, planHash } = journal;
  journal.append({
    type: 'run-started',
    at: now(),
    runId,
    deploymentId,
    planHash,
    pid: process.pid,
    person: opts.lock && ('owner' in opts.lock ? opts.lock.owner.person : opts.lock.person),
    facts: withoutSecrets(facts),
  });
  emit({
    type: 'run-start',
    at: now(),
    deploymentId,
    total: opts.steps.length,
    resumed: journal.resume.resumed,
  });
  for (const [index, step] of opts.steps.entries()) await runOne(state, step, index);
  const durationMs = Date.now() - started;
  journal.append({ type: 'run-finished', at: now(), runId, durationMs });
  emit({ type: 'run-done', at: now(), durationMs });
  return { status: 'done' as const, durationMs, steps: state.outcomes, outputs: state.outputs, facts };
}

/** One step: skip it when the journal or its probe says it is done, else perform its actions. */
async function runOne(state: RunState, step: Step, index: number): Promise<void> {
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
    journal.append({ type: 'run-failed', at: now(), runId, step: step.id, error: redact(error.message) });
    emit({ type: 'step-failed', at: now(), ...base, error });
    emit({ type: 'run-failed', at: now(), durationMs: Date.now() - state.started, step: step.id });
    throw error;
  }
  const durationMs = Date.now() - stepStarted;
  journal.append({ type: 'step-done', at: now(), runId, step: step.id, durationMs, outputs });
  finish('done', planned.outputs, durationMs);
}

function asMokoError(e: unknown, stepId: string): MokoError {
  if (e instanceof MokoError) return e;
  return new MokoError('target', `step ${stepId} failed: ${redact((e as Error).message ?? String(e))}`, {
    where: stepId,
  });
}

const now = (): string => new Date().toISOString();
