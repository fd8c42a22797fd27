import type { Host } from '../../hosts/host.js';
import { MokoError } from '../../core/errors.js';
import {
  Journal,
  forceReleaseLock,
  readLock,
  runSteps,
  resumedFacts,
  type EventSink,
  type RunEvent,
} from '../../runner/index.js';
import type { Step, StepContext } from '../step.js';

/**
 * The parts of an engine run shared by upgrade, rollback, restore and rehearsal: a journal per pipeline
 * (<id>.<pipeline>.jsonl, so an interrupted upgrade and the rollback that follows do not mix), the target lock,
 * step durations collected from the runner's events, and the step that failed.
 */
export interface EngineContext {
  host: Host;
  ctx: StepContext;
  /** Store directory: journals live in <store>/journals/. */
  storeDir: string;
  deploymentId: string;
  planHash: string;
  person: string;
  events?: EventSink;
}

export interface StepTime {
  id: string;
  ms: number;
  skipped?: boolean;
}

export interface PipelineRun {
  ok: boolean;
  steps: StepTime[];
  facts: Record<string, unknown>;
  failedStep?: string;
  error?: MokoError;
  durationMs: number;
}

export const journalId = (deploymentId: string, pipeline: string): string => `${deploymentId}.${pipeline}`;

/** Run one pipeline through the runner; never throws for a step failure (the caller decides what follows). */
export async function runPipeline(
  e: EngineContext,
  name: string,
  pipeline: Step[] | ((facts: Record<string, unknown>) => Step[]),
  facts: Record<string, unknown>,
): Promise<PipelineRun> {
  const started = Date.now();
  const journal = Journal.open({
    storeDir: e.storeDir,
    deploymentId: journalId(e.deploymentId, name),
    planHash: e.planHash,
  });
  const used = resumedFacts(facts, journal.resume.facts);
  // a resumed run plans with the interrupted run's facts (its stamp, its migration passes)
  const steps = typeof pipeline === 'function' ? pipeline(used) : pipeline;
  const times: StepTime[] = [];
  let failedStep: string | undefined;
  const collect = (ev: RunEvent) => {
    if (ev.type === 'step-done') times.push({ id: ev.step, ms: ev.durationMs });
    if (ev.type === 'step-skipped') times.push({ id: ev.step, ms: 0, skipped: true });
    if (ev.type === 'step-failed') failedStep = ev.step;
    e.events?.(ev);
  };
  await releaseDeadLock(e);
  try {
    await runSteps({
      host: e.host,
      steps,
      ctx: { ...e.ctx, facts: used },
      journal,
      lock: {
        root: e.ctx.plan.target.root,
        sudo: e.ctx.plan.target.sudo,
        person: e.person,
        reason: `${name} ${e.deploymentId}`,
      },
      events: collect,
    });
    return { ok: true, steps: times, facts: used, durationMs: Date.now() - started };
  } catch (error) {
    const err =
      error instanceof MokoError ? error : new MokoError('target', String((error as Error).message ?? error));
    return { ok: false, steps: times, facts: used, failedStep, error: err, durationMs: Date.now() - started };
  }
}

/**
 * A run killed with kill -9 leaves its lock behind under its own pipeline's journal id; the next pipeline of the
 * same deployment (a resume, or the rollback) may release it when its holder ran on this machine and is gone.
 */
async function releaseDeadLock(e: EngineContext): Promise<void> {
  const target = { host: e.host, root: e.ctx.plan.target.root, sudo: e.ctx.plan.target.sudo };
  const status = await readLock(target);
  if (
    status.held &&
    status.owner?.deploymentId.startsWith(`${e.deploymentId}.`) &&
    status.holderAlive === false
  ) {
    await forceReleaseLock(target);
  }
}

/** Move an interrupted or failed pipeline's journal aside, so the next attempt starts afresh (new stamp, new release). */
export function closeJournal(e: EngineContext, name: string): void {
  Journal.discard(e.storeDir, journalId(e.deploymentId, name));
}
