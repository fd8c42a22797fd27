import { existsSync } from 'node:fs';
import type { Host } from '../../hosts/host.js';
import { MokoError } from '../../core/errors.js';
import {
  closeOpenRun,
  forceReleaseLock,
  openRunJournal,
  readLock,
  runSteps,
  resumedFacts,
  type EventSink,
  type JournalRecord,
  type RunClosing,
  type RunEvent,
} from '../../runner/index.js';
import type { Step, StepContext } from '../step.js';

/**
 * The parts of an engine run shared by upgrade, backup, rollback, restore and rehearsal: a journal per run
 * (runner/journal-runs.ts: <id>.<pipeline>/<runId>.jsonl, closed when the run ends, so no run ever plans with
 * another's facts), the target lock, step durations collected from the runner's events, and the step that failed.
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
  /** This run's id (its journal is <store>/journals/<id>.<pipeline>/<runId>.jsonl). */
  runId: string;
  /** It resumed an interrupted run (and planned with that run's facts). */
  resumed: boolean;
  steps: StepTime[];
  facts: Record<string, unknown>;
  failedStep?: string;
  error?: MokoError;
  durationMs: number;
  /** Close the run (done, failed, rolled-back); runPipeline does it unless told to leave it to the caller. */
  close(outcome: RunClosing, note?: string): void;
  /** What the run's journal knows, inherited steps (with their times) included. */
  records(): JournalRecord[];
}

export const journalId = (deploymentId: string, pipeline: string): string => `${deploymentId}.${pipeline}`;

/** Run one pipeline through the runner; never throws for a step failure (the caller decides what follows). */
export async function runPipeline(
  e: EngineContext,
  name: string,
  pipeline: Step[] | ((facts: Record<string, unknown>) => Step[]),
  facts: Record<string, unknown>,
  options: { leaveOpen?: boolean } = {},
): Promise<PipelineRun> {
  const started = Date.now();
  const journal = openRunJournal({
    storeDir: e.storeDir,
    scope: journalId(e.deploymentId, name),
    planHash: e.planHash,
  });
  const runId = journal.runId!;
  // only a resumed run plans with the interrupted run's facts (its stamp, its backup, its migration passes);
  // runId names the run that began the work (kept on resume: a backup directory knows its writer by it)
  const used = journal.resume.resumed ? resumedFacts(facts, journal.resume.facts) : { ...facts, runId };
  const base = {
    runId,
    resumed: journal.resume.resumed,
    facts: used,
    close: (outcome: RunClosing, note?: string) => journal.closeRun(outcome, note),
    records: () => (existsSync(journal.path) ? journal.records() : []),
  };
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
    if (!options.leaveOpen) journal.closeRun('done');
    return { ...base, ok: true, steps: times, durationMs: Date.now() - started };
  } catch (error) {
    const err =
      error instanceof MokoError ? error : new MokoError('target', String((error as Error).message ?? error));
    if (!options.leaveOpen) journal.closeRun('failed', err.message);
    return { ...base, ok: false, steps: times, failedStep, error: err, durationMs: Date.now() - started };
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

/** Close the interrupted run of a pipeline (an upgrade a rollback undid): the next attempt starts afresh. */
export function closeInterrupted(e: EngineContext, name: string, outcome: RunClosing, note?: string) {
  return closeOpenRun(e.storeDir, journalId(e.deploymentId, name), outcome, note);
}
