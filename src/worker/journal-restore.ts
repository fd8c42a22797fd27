import { join } from 'node:path';
import type pg from 'pg';
import { inputError } from '../core/errors.js';
import { appendLines, journalLines } from '../runner/journal.js';
import { appendJournalLines, jobJournalLines, type JournalWriter } from '../queue/journal-lines.js';
import { shownRecord } from './journal-mirror.js';

/** What a worker did to this machine's journal files before running a job's command. */
export interface JournalRestore {
  /** Files rebuilt or completed from the queue's copy (relative to `<home>/journals`), with the lines added. */
  restored: { file: string; lines: number }[];
  /** Lines a dead attempt wrote on this machine but never committed, committed now. */
  caughtUp: { file: string; lines: number }[];
}

/**
 * Before a job's command runs, this machine's journal files hold every line the job's earlier attempts committed
 * to the queue's database (issue 20): a worker taking over a job on a machine without the dead worker's journal
 * rebuilds it, so the command resumes as a second `mokodeploy deploy` on the dead worker's machine would. Lines
 * missing here are appended in their order; lines this machine has after the last committed one (a worker of this
 * machine died between its fsync and its commit) are committed now. A machine's own other lines are left as they are.
 */
export async function restoreJournals(
  pool: pg.Pool,
  home: string,
  writer: JournalWriter,
): Promise<JournalRestore> {
  const result: JournalRestore = { restored: [], caughtUp: [] };
  for (const [file, committed] of await jobJournalLines(pool, writer.jobId)) {
    const path = join(home, 'journals', safeJournalFile(file));
    const local = journalLines(path);
    const here = new Set(local);
    const missing = committed.filter((l) => !here.has(l));
    if (missing.length > 0) {
      appendLines(path, missing);
      result.restored.push({ file, lines: missing.length });
      continue; // this machine had less than the queue: nothing of this job's is only here
    }
    const last = local.lastIndexOf(committed.at(-1)!);
    const unsent = local.slice(last + 1);
    if (unsent.length > 0) {
      await appendJournalLines(
        pool,
        writer,
        file,
        unsent.map((line) => ({ line, shown: shownRecord(line) })),
      );
      result.caughtUp.push({ file, lines: unsent.length });
    }
  }
  return result;
}

/** A file name from the database, used as a path on this machine: `<id>.jsonl` or `<id>.<scope>/<run>.jsonl` only. */
function safeJournalFile(file: string): string {
  const part = /^[A-Za-z0-9_@-][A-Za-z0-9_.@-]*$/;
  const parts = file.split('/');
  if (parts.length > 2 || !parts.every((p) => part.test(p) && p !== '..') || !file.endsWith('.jsonl')) {
    throw inputError(
      `the queue's journal names a file outside the journals directory: ${JSON.stringify(file)}`,
      {
        where: 'mokodeploy_queue.journal_lines',
        fix: 'the queue database was written by something else than mokodeploy: look at that row',
      },
    );
  }
  return file;
}
