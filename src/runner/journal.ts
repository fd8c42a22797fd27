import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { conflict, inputError } from '../core/errors.js';
import type { SkipReason } from './events.js';
import { queuedRun } from './journal-job.js';

/**
 * The run journal: one JSON line per fact, appended and fsync'd before the run moves on, so a
 * run killed at any instant resumes at the first step not recorded done (steps are idempotent,
 * so a step started but not done simply runs again). An install keeps one file per deployment
 * (a chain of attempts until one finishes); the engine's runs (upgrade, backup, rollback, restore,
 * rehearsal) have one file each (journal-runs.ts), closed when they end.
 */
export type JournalRecord =
  | {
      type: 'run-started';
      at: string;
      runId: string;
      deploymentId: string;
      planHash: string;
      pid: number;
      person?: string;
      /** The facts the steps were planned with; a resume plans with the interrupted run's facts again. */
      facts: Record<string, unknown>;
      /** The interrupted run this one resumes (closed as abandoned when this one starts). */
      resumes?: string;
    }
  | { type: 'step-started'; at: string; runId: string; step: string }
  | {
      type: 'step-done';
      at: string;
      runId: string;
      step: string;
      durationMs: number;
      outputs: Record<string, unknown>;
      skipped?: SkipReason;
      /** Copied from the run this one resumes (its own runId and time kept). */
      inherited?: boolean;
    }
  | { type: 'run-finished'; at: string; runId: string; durationMs: number }
  | {
      type: 'run-failed';
      at: string;
      runId: string;
      step?: string;
      error: string;
      undone?: string[];
      /** The last lines the failing command printed (redacted, output-tail.ts): shown whatever started the run. */
      output?: string[];
    }
  | {
      type: 'run-closed';
      at: string;
      runId: string;
      outcome: RunClosing;
      /** When the run began and its last record (an abandoned run's times). */
      startedAt?: string;
      endedAt?: string;
      note?: string;
    };

/** How a run ends: a closed run is never resumed and never lends its facts to another run. */
export type RunClosing = 'done' | 'failed' | 'rolled-back' | 'abandoned';

/** What an unfinished earlier run left: the steps it finished and the outputs they produced. */
export interface ResumeState {
  resumed: boolean;
  done: Map<string, Record<string, unknown>>;
  /** Facts of the interrupted run: re-planning with them keeps names (stamps, dirs) stable. */
  facts?: Record<string, unknown>;
  /** The interrupted run's file and records (per-run journals only). */
  from?: { runId: string; path: string; records: JournalRecord[] };
}

export const journalPath = (storeDir: string, deploymentId: string): string =>
  join(storeDir, 'journals', `${deploymentId}.jsonl`);

/** Read every record; a torn last line (killed mid-write) is ignored, a torn line elsewhere is corruption. */
export function readJournal(path: string): JournalRecord[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  const records: JournalRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch {
      const last = lines.slice(i + 1).every((rest) => rest.trim() === '');
      if (!last) throw inputError(`the run journal is corrupt at line ${i + 1}`, { where: path });
    }
  });
  return records;
}

/**
 * The chain of runs since the last finished (or closed) one. Its steps recorded done are skipped on
 * resume and its first run's facts are planned with again; a finished run lends nothing to the next.
 * A chain begun for another plan hash is refused (the plan changed under an interrupted run).
 */
export function resumeState(records: JournalRecord[], planHash: string, path: string): ResumeState {
  const ends = records.map((r) => r.type === 'run-finished' || r.type === 'run-closed');
  const chain = records.slice(ends.lastIndexOf(true) + 1);
  const started = chain.find((r) => r.type === 'run-started');
  if (!started) return { resumed: false, done: new Map() };
  if (started.planHash !== planHash) {
    throw conflict(
      `the unfinished run in this journal was for plan ${started.planHash.slice(0, 12)}, this plan is ${planHash.slice(0, 12)}: the plan changed after a run was interrupted`,
      {
        where: path,
        fix: `deploy the plan that was interrupted, or move the journal aside to start over (steps are idempotent): mv ${path} ${path}.old`,
      },
    );
  }
  const done = new Map<string, Record<string, unknown>>();
  for (const r of chain) {
    if (r.type === 'step-done') done.set(r.step, r.outputs);
    // a step whose check failed is not done: the next run redoes it (issue 23)
    if (r.type === 'run-failed') for (const s of r.undone ?? []) done.delete(s);
  }
  return { resumed: true, done, facts: started.facts };
}

export class Journal {
  readonly path: string;
  readonly deploymentId: string;
  readonly planHash: string;
  readonly resume: ResumeState;
  /** Set for a per-run journal (one file per run): the run's own id. */
  readonly runId?: string;
  #fd: number | undefined;

  constructor(path: string, deploymentId: string, planHash: string, resume: ResumeState, runId?: string) {
    this.path = path;
    this.deploymentId = deploymentId;
    this.planHash = planHash;
    this.resume = resume;
    this.runId = runId;
  }

  /** Open (or create) the deployment's journal and work out what an interrupted run already did. */
  static open(opts: { storeDir: string; deploymentId: string; planHash: string }): Journal {
    const path = journalPath(opts.storeDir, opts.deploymentId);
    const resume = resumeState(readJournal(path), opts.planHash, path);
    return new Journal(path, opts.deploymentId, opts.planHash, resume);
  }

  /**
   * Append one record and fsync it: when this returns, the record survives kill -9 and power loss. In a queued job
   * it is also committed to the queue's database (journal-job.ts), so another machine can resume the run.
   */
  append(record: JournalRecord): void {
    const fd = this.#open();
    const line = JSON.stringify(record);
    writeSync(fd, `${line}\n`);
    fsyncSync(fd);
    queuedRun()?.mirror(this.path, line);
  }

  /**
   * Record the run's start. A per-run journal resuming an interrupted run copies that run's done steps (with
   * their own times: when maintenance went on, for the outage) and then closes it as abandoned with its times.
   */
  start(record: Extract<JournalRecord, { type: 'run-started' }>): void {
    const from = this.resume.from;
    this.append(from ? { ...record, resumes: from.runId } : record);
    if (!from) return;
    for (const r of from.records) if (r.type === 'step-done') this.append({ ...r, inherited: true });
    appendRecord(from.path, {
      type: 'run-closed',
      at: new Date().toISOString(),
      runId: from.runId,
      outcome: 'abandoned',
      ...runTimes(from.records),
      note: `interrupted; resumed by ${record.runId}`,
    });
  }

  /** Close a per-run journal: the run is over (done, failed, rolled back) and is never resumed. */
  closeRun(outcome: RunClosing, note?: string): void {
    if (!this.runId || !existsSync(this.path)) return;
    const records = readJournal(this.path);
    if (records.some((r) => r.type === 'run-closed')) return;
    this.append({ type: 'run-closed', at: new Date().toISOString(), runId: this.runId, outcome, note });
    this.close();
  }

  /** Every record of this journal's file. */
  records(): JournalRecord[] {
    return readJournal(this.path);
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  /** Move the journal aside (to start a deployment over); returns the new name. */
  static discard(storeDir: string, deploymentId: string): string | undefined {
    const path = journalPath(storeDir, deploymentId);
    if (!existsSync(path)) return undefined;
    const aside = `${path}.${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(path, aside);
    return aside;
  }

  #open(): number {
    if (this.#fd !== undefined) return this.#fd;
    const dir = dirname(this.path);
    const created = !existsSync(this.path);
    mkdirSync(dir, { recursive: true, mode: 0o700 }); // the store is private (issue 12)
    if (!created) dropTornTail(this.path);
    const fd = openSync(this.path, 'a', 0o600);
    if (created) fsyncDir(dir);
    this.#fd = fd;
    return fd;
  }
}

/** When a run began and its last record was written (an abandoned run's times). */
export function runTimes(records: JournalRecord[]): { startedAt?: string; endedAt?: string } {
  return { startedAt: records.find((r) => r.type === 'run-started')?.at, endedAt: records.at(-1)?.at };
}

/** Append one record to a journal file that is not this process's open run (closing an interrupted run). */
export function appendRecord(path: string, record: JournalRecord): void {
  const line = JSON.stringify(record);
  appendLines(path, [line]);
  queuedRun()?.mirror(path, line);
}

/**
 * Append lines as they are (a journal rebuilt from the queue's copy on another machine): the directory and file
 * made private when missing, a torn last line cut off first, everything fsync'd.
 */
export function appendLines(path: string, lines: string[]): void {
  const dir = dirname(path);
  const created = !existsSync(path);
  if (created) mkdirSync(dir, { recursive: true, mode: 0o700 });
  else dropTornTail(path);
  const fd = openSync(path, 'a', 0o600);
  try {
    if (lines.length > 0) writeSync(fd, lines.map((l) => `${l}\n`).join(''));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (created) fsyncDir(dir);
}

/** The complete lines of a journal file (a torn last line is not one), as written. */
export function journalLines(path: string): string[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.pop(); // after the last newline: empty, or a torn line
  return lines.filter((l) => l.trim() !== '');
}

/** A run killed mid-write can leave a partial last line: cut it off before appending after it. */
function dropTornTail(path: string): void {
  const bytes = readFileSync(path);
  if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return;
  truncateSync(path, bytes.lastIndexOf(0x0a) + 1);
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
