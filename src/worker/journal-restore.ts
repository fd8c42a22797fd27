import { join } from 'node:path';
import type pg from 'pg';
import { inputError } from '../core/errors.js';
import { appendLines, journalLines } from '../runner/journal.js';
import { appendJournalLines, signedJournalLines, type JournalWriter } from '../queue/journal-lines.js';
import { checkJournalFile, checkJournalLine, signJournalLine } from '../queue/signature.js';
import type { AuditSigner } from '../audit/signing-key.js';
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
 * machine died between its fsync and its commit) are committed now, signed. A machine's own other lines are left as they are.
 * Every committed line is checked first against its signature (the store's audit key, src/queue/signature.ts): one
 * unsigned or altered line (or one relabelled as another attempt's, or repeated under another number) stops the
 * take-over before anything is written.
 */
export async function restoreJournals(
  pool: pg.Pool,
  home: string,
  writer: JournalWriter,
  signer: AuditSigner,
): Promise<JournalRestore> {
  const result: JournalRestore = { restored: [], caughtUp: [] };
  const files = new Map<string, string[]>();
  for (const [file, lines] of await signedJournalLines(pool, writer.jobId)) {
    safeJournalFile(file);
    for (const l of lines) checkJournalLine(signer, writer.jobId, file, l.n, l.line, l.signature, l.attempt);
    checkJournalFile(writer.jobId, file, lines);
    files.set(file, lines.map((l) => l.line));
  }
  for (const [file, committed] of files) {
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
        unsent.map((line) => ({ line, shown: shownRecord(line), signature: signJournalLine(signer, writer.jobId, file, line, writer.attempt) })),
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
