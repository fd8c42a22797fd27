import type pg from 'pg';
import type { AuditSigner } from '../audit/signing-key.js';
import { checkDeath } from './row-signatures.js';

/**
 * A job's run-journal lines in the queue's database (table `journal_lines`, issue 20): every line the job's runs
 * append on a worker is committed here, exactly as written, before the runner goes on (src/worker/journal-mirror.ts),
 * and shown as progress (an `events` row, redacted). A worker that takes the job over on another machine rebuilds
 * the journal files from these lines (src/worker/journal-restore.ts).
 *
 * One statement, one round trip: only while the job's row still says this worker runs this attempt (a worker the
 * queue declared dead cannot add to the journal of a job handed to another: its run stops at its next record).
 * Parameters: job id, worker id, attempt, file (relative to `<home>/journals`), the line, the line as progress
 * (jsonb text), its signature (src/queue/signature.ts). Returns the line's number in the file's copy, or no row when the job is no longer this attempt's.
 */
export const appendJournalLineSql = `
WITH mine AS (
  SELECT id FROM mokodeploy_queue.jobs WHERE id = $1::bigint AND worker_id = $2 AND attempts = $3 AND state = 'running'
), l AS (
  INSERT INTO mokodeploy_queue.journal_lines (job_id, file, n, attempt, line, signature)
  SELECT $1::bigint, $4,
         coalesce((SELECT max(n) + 1 FROM mokodeploy_queue.journal_lines WHERE job_id = $1::bigint AND file = $4), 0),
         $3, $5, $7
  FROM mine RETURNING n
), e AS (
  INSERT INTO mokodeploy_queue.events (job_id, seq, source, record)
  SELECT $1::bigint, coalesce((SELECT max(seq) FROM mokodeploy_queue.events WHERE job_id = $1::bigint), 0) + 1,
         'journal:' || $4, $6::jsonb
  FROM l RETURNING seq
), woken AS (SELECT pg_notify('mokodeploy_job', $1::text) FROM e)
SELECT l.n, (SELECT count(*) FROM woken) AS woken FROM l`;

/** Who writes a job's journal lines: the attempt the job's row names. */
export interface JournalWriter {
  jobId: number;
  workerId: string;
  attempt: number;
}

export function appendJournalLineValues(
  w: JournalWriter,
  file: string,
  line: string,
  shown: string,
  signature: string,
): unknown[] {
  return [String(w.jobId), w.workerId, w.attempt, file, line, shown, signature];
}

/** Append lines of a job's journal (a worker catching up what a dead attempt wrote on this machine but never sent). */
export async function appendJournalLines(
  pool: pg.Pool,
  w: JournalWriter,
  file: string,
  lines: { line: string; shown: string; signature: string }[],
): Promise<void> {
  for (const l of lines) {
    const { rowCount } = await pool.query(
      appendJournalLineSql,
      appendJournalLineValues(w, file, l.line, l.shown, l.signature),
    );
    if (rowCount !== 1)
      throw new Error(`job ${w.jobId} is no longer attempt ${w.attempt} on worker ${w.workerId}`);
  }
}

/** Every journal line the job's attempts committed, by file, in order. */
export async function jobJournalLines(pool: pg.Pool, jobId: number): Promise<Map<string, string[]>> {
  const { rows } = await pool.query<{ file: string; line: string }>(
    'SELECT file, line FROM mokodeploy_queue.journal_lines WHERE job_id = $1 ORDER BY file, n',
    [jobId],
  );
  const files = new Map<string, string[]>();
  for (const r of rows) {
    const lines = files.get(r.file) ?? [];
    lines.push(r.line);
    files.set(r.file, lines);
  }
  return files;
}

/** Every committed line of the job with its number, attempt and signature, by file, in order (a take-over checks them). */
export async function signedJournalLines(pool: pg.Pool, jobId: number): Promise<Map<string, CommittedLine[]>> {
  const { rows } = await pool.query<{ file: string } & CommittedLine>(
    'SELECT file, n, attempt, line, signature FROM mokodeploy_queue.journal_lines WHERE job_id = $1 ORDER BY file, n',
    [jobId],
  );
  const files = new Map<string, CommittedLine[]>();
  for (const r of rows)
    files.set(r.file, [...(files.get(r.file) ?? []), { n: r.n, attempt: r.attempt, line: r.line, signature: r.signature }]);
  return files;
}

export interface CommittedLine {
  n: number;
  attempt: number;
  line: string;
  signature: string | null;
}

/**
 * The workers of this job's earlier attempts that the queue declared dead (their job was handed over): only
 * declarations a reaper holding the store's key signed for this job, attempt and worker (src/queue/row-signatures.ts)
 * count; an unsigned or altered one is refused (the caller audits it), never acted on.
 */
export async function deadWorkersOfJob(pool: pg.Pool, jobId: number, signer: AuditSigner): Promise<string[]> {
  const { rows } = await pool.query<{ seq: number; record: Record<string, unknown>; dead: boolean }>(
    `SELECT e.seq, e.record,
            EXISTS (SELECT 1 FROM mokodeploy_queue.workers w WHERE w.id = e.record->>'worker' AND w.state = 'dead') AS dead
     FROM mokodeploy_queue.events e
     WHERE e.job_id = $1 AND e.source = 'job' AND e.record->>'type' = 'job-worker-died' ORDER BY e.seq`,
    [jobId],
  );
  const dead = new Set<string>();
  for (const r of rows) {
    const d = checkDeath(
      signer,
      r.seq,
      { job: r.record.job as number, attempt: r.record.attempt as number, worker: r.record.worker as string },
      r.record.signature,
    );
    if (d.job !== jobId) checkDeath(signer, r.seq, { ...d, job: jobId }, r.record.signature); // another job's declaration
    if (r.dead) dead.add(d.worker);
  }
  return [...dead].sort();
}
