import type { Host } from '../hosts/host.js';
import { MokoError, inputError } from '../core/errors.js';
import type { Step, StepContext } from '../steps/step.js';
import { ignoreEvents, type EventSink, type SkipReason } from './events.js';
import type { Journal } from './journal.js';
import { acquireLock, releaseLock, type Lock, type LockOwner } from './lock.js';
import { withoutSecrets, resumedFacts } from './facts.js';
import { runOne, type RunState } from './run-step.js';
import { planRun, renderDryRun, assertUniqueIds } from './planned.js';

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

async function runLocked(opts: RunOptions, journal: Journal, emit: EventSink) {
  const started = Date.now();
  const runId = journal.runId ?? `${journal.deploymentId}@${new Date(started).toISOString()}`;
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
  journal.start({
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

const now = (): string => new Date().toISOString();
