import type { DeploymentRecord } from '../core/record.js';
import type { JournalRecord } from '../runner/journal.js';
import { pipelineFor } from '../runner/pipelines.js';

/** The newest run in a journal as a person follows it: step N of M, elapsed, an estimate, how it ended. */
export interface RunView {
  runId: string;
  startedAt: string;
  /** Steps recorded done (or skipped) in this run. */
  done: number;
  /** All steps of the pipeline for this plan and these facts; undefined when it cannot be known here. */
  total?: number;
  current?: string;
  endedAt?: string;
  outcome: 'running' | 'finished' | 'failed';
  failedStep?: string;
  error?: string;
  /** Seconds the last successful run of this deployment took: the estimate's basis when there is one. */
  previousSeconds?: number;
}

export function stepsTotal(record: DeploymentRecord, facts: Record<string, unknown>): number | undefined {
  try {
    return pipelineFor(record.plan).steps(facts).length;
  } catch {
    return undefined; // a kind not automated, or facts a pipeline needs that the journal does not have
  }
}

export function runView(record: DeploymentRecord, journal: readonly JournalRecord[]): RunView | undefined {
  const startIndex = journal.map((j) => j.type).lastIndexOf('run-started');
  if (startIndex < 0) return undefined;
  const start = journal[startIndex] as Extract<JournalRecord, { type: 'run-started' }>;
  const mine = journal.slice(startIndex);
  const done = new Set(mine.filter((j) => j.type === 'step-done').map((j) => (j as { step: string }).step));
  const started = mine.filter((j) => j.type === 'step-started').at(-1) as { step: string } | undefined;
  const failed = mine.find((j) => j.type === 'run-failed') as
    Extract<JournalRecord, { type: 'run-failed' }> | undefined;
  const finished = mine.find((j) => j.type === 'run-finished');
  const previous = record.runs.filter((r) => r.outcome === 'succeeded' && r.durationSeconds).at(-1);
  return {
    runId: start.runId,
    startedAt: start.at,
    done: done.size,
    total: stepsTotal(record, start.facts ?? {}),
    current: started && !done.has(started.step) ? started.step : undefined,
    endedAt: failed?.at ?? finished?.at,
    outcome: failed ? 'failed' : finished ? 'finished' : 'running',
    failedStep: failed?.step,
    error: failed?.error,
    previousSeconds: previous?.durationSeconds,
  };
}

/**
 * What the failing command of the newest run printed, as the runner kept it in the journal (redacted): the same
 * lines whether the run was started from the dashboard or the CLI. Undefined for a run that did not fail or a
 * journal from before the runner kept them.
 */
export function failedRunOutput(journal: readonly JournalRecord[]): string[] | undefined {
  const startIndex = journal.map((j) => j.type).lastIndexOf('run-started');
  const failed = journal.slice(Math.max(startIndex, 0)).find((j) => j.type === 'run-failed');
  return failed?.type === 'run-failed' && failed.output?.length ? failed.output : undefined;
}
