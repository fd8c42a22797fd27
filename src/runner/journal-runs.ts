import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { conflict } from '../core/errors.js';
import {
  Journal,
  appendRecord,
  readJournal,
  runTimes,
  type JournalRecord,
  type ResumeState,
  type RunClosing,
} from './journal.js';

/**
 * Run identity for the engine (issue 13): every run of one kind on one deployment (`<id>.upgrade`, `<id>.backup`,
 * `<id>.rollback`, …) has its own id and its own journal, <store>/journals/<scope>/<runId>.jsonl, and ends closed
 * (done, failed, rolled-back, abandoned). A new run resumes only the one run of its scope that is not closed —
 * never a finished one — and only a resumed run plans with the interrupted run's facts.
 */
export const runsDir = (storeDir: string, scope: string): string => join(storeDir, 'journals', scope);

export interface RunFile {
  runId: string;
  path: string;
  records: JournalRecord[];
  closed?: Extract<JournalRecord, { type: 'run-closed' }>;
}

/** Every run of a scope, oldest first (run ids sort by time). */
export function listRuns(storeDir: string, scope: string): RunFile[] {
  const dir = runsDir(storeDir, scope);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      const records = readJournal(path);
      const closed = records.find(
        (r): r is Extract<JournalRecord, { type: 'run-closed' }> => r.type === 'run-closed',
      );
      return { runId: name.slice(0, -'.jsonl'.length), path, records, closed };
    });
}

/** A new run id: its start time (sortable) and a random tail, so two runs never share a journal. */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
}

/** The run of this scope left unfinished (killed), if any: the newest one not closed. */
export function openRun(storeDir: string, scope: string): RunFile | undefined {
  return listRuns(storeDir, scope)
    .filter((r) => !r.closed)
    .at(-1);
}

/**
 * Open the journal of a new run of `scope`. When a run of the scope was interrupted, the new one resumes it: its
 * done steps are skipped and its facts planned with (the interrupted run is closed as abandoned when this one
 * starts). An interrupted run of another plan is refused.
 */
export function openRunJournal(opts: { storeDir: string; scope: string; planHash: string }): Journal {
  const runId = newRunId();
  const path = join(runsDir(opts.storeDir, opts.scope), `${runId}.jsonl`);
  return new Journal(
    path,
    opts.scope,
    opts.planHash,
    resumeOf(openRun(opts.storeDir, opts.scope), opts.planHash),
    runId,
  );
}

function resumeOf(open: RunFile | undefined, planHash: string): ResumeState {
  const started = open?.records.find((r) => r.type === 'run-started');
  if (!open || !started) return { resumed: false, done: new Map() };
  if (started.planHash !== planHash)
    throw conflict(
      `the interrupted run ${open.runId} was for plan ${started.planHash.slice(0, 12)}, this plan is ${planHash.slice(0, 12)}`,
      {
        where: open.path,
        fix: `run the plan that was interrupted, or move its journal aside to start over (steps are idempotent): mv ${open.path} ${open.path}.old`,
      },
    );
  const done = new Map<string, Record<string, unknown>>();
  for (const r of open.records) if (r.type === 'step-done') done.set(r.step, r.outputs);
  return { resumed: true, done, facts: started.facts, from: open };
}

/** Close the unfinished run of a scope (a rollback closes the upgrade it undid; an operator closes a dead run). */
export function closeOpenRun(
  storeDir: string,
  scope: string,
  outcome: RunClosing,
  note?: string,
): RunFile | undefined {
  const open = openRun(storeDir, scope);
  if (!open) return undefined;
  appendRecord(open.path, {
    type: 'run-closed',
    at: new Date().toISOString(),
    runId: open.runId,
    outcome,
    ...(outcome === 'abandoned' ? runTimes(open.records) : {}),
    note,
  });
  return open;
}

/** The records of a run and of everything it inherited: what its journal knows. */
export function runRecords(journal: Journal): JournalRecord[] {
  return existsSync(journal.path) ? journal.records() : [];
}
