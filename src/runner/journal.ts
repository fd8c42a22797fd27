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

/**
 * The run journal: one JSON line per fact, appended and fsync'd before the run moves on, so a
 * run killed at any instant resumes at the first step not recorded done (steps are idempotent,
 * so a step started but not done simply runs again). One file per deployment.
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
      /** The facts the steps were planned with; a resume plans with the first run's facts again. */
      facts: Record<string, unknown>;
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
    }
  | { type: 'run-finished'; at: string; runId: string; durationMs: number }
  | { type: 'run-failed'; at: string; runId: string; step?: string; error: string };

/** What an unfinished earlier run left: the steps it finished and the outputs they produced. */
export interface ResumeState {
  resumed: boolean;
  done: Map<string, Record<string, unknown>>;
  /** Facts of this plan's first run: re-planning with them keeps names (stamps, dirs) stable. */
  facts?: Record<string, unknown>;
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
 * The chain of runs since the last finished one. Its steps recorded done are skipped on resume;
 * a chain begun for another plan hash is refused (the plan changed under an interrupted run).
 */
export function resumeState(records: JournalRecord[], planHash: string, path: string): ResumeState {
  const lastFinished = records.map((r) => r.type).lastIndexOf('run-finished');
  const chain = records.slice(lastFinished + 1);
  const facts = firstFacts(records, planHash);
  const started = chain.find((r) => r.type === 'run-started');
  if (!started) return { resumed: false, done: new Map(), facts };
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
  for (const r of chain) if (r.type === 'step-done') done.set(r.step, r.outputs);
  return { resumed: true, done, facts };
}

/**
 * The facts of the first run of this plan (the latest runs, back to the last one of another plan):
 * every run of one approved plan, resumed or repeated, plans with the same release stamp, so a
 * second deploy converges on the same release instead of making a new one.
 */
function firstFacts(records: JournalRecord[], planHash: string): Record<string, unknown> | undefined {
  let facts: Record<string, unknown> | undefined;
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (r.type !== 'run-started') continue;
    if (r.planHash !== planHash) break;
    facts = r.facts;
  }
  return facts;
}

export class Journal {
  readonly path: string;
  readonly deploymentId: string;
  readonly planHash: string;
  readonly resume: ResumeState;
  #fd: number | undefined;

  private constructor(path: string, deploymentId: string, planHash: string, resume: ResumeState) {
    this.path = path;
    this.deploymentId = deploymentId;
    this.planHash = planHash;
    this.resume = resume;
  }

  /** Open (or create) the deployment's journal and work out what an interrupted run already did. */
  static open(opts: { storeDir: string; deploymentId: string; planHash: string }): Journal {
    const path = journalPath(opts.storeDir, opts.deploymentId);
    const resume = resumeState(readJournal(path), opts.planHash, path);
    return new Journal(path, opts.deploymentId, opts.planHash, resume);
  }

  /** Append one record and fsync it: when this returns, the record survives kill -9 and power loss. */
  append(record: JournalRecord): void {
    const fd = this.#open();
    writeSync(fd, `${JSON.stringify(record)}\n`);
    fsyncSync(fd);
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
    mkdirSync(dir, { recursive: true });
    if (!created) dropTornTail(this.path);
    const fd = openSync(this.path, 'a');
    if (created) fsyncDir(dir);
    this.#fd = fd;
    return fd;
  }
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
