import type pg from 'pg';
import { canonicalJson, sha256Hex } from '../core/canonical.js';
import { refused } from '../core/errors.js';
import { signatureValid, type AuditSigner } from '../audit/signing-key.js';
import type { JobArgs } from './job.js';

/**
 * A queue row is data anyone with the queue's database may write (issue 12). What a worker acts on is signed with
 * the audit signing key every enqueuer and worker holds (src/audit/signing-key.ts), and verified with the public key
 * of the store's own key (the worker's signer is checked against the key recorded in the store when the store is
 * opened: src/audit/store-key.ts, src/store/postgres-key.ts): the job request (its id, command words, deployment,
 * `as` and options) when it is queued, and each run-journal line a worker commits (job, file, line). A row inserted
 * by SQL, or changed after it was queued, is refused; a forged journal line stops a take-over before it writes to disk.
 *
 * Each message has its own prefix, so no signature of one kind (nor an audit entry's) stands for another.
 */
export const jobRequestMessage = (id: number, command: readonly string[], args: JobArgs): string =>
  `mokodeploy-job-request:${sha256Hex(canonicalJson({ id, command, args }))}`;

/**
 * A journal line is bound to its job, its file and the attempt that committed it (the row's `attempt` column): a
 * signed line copied to another job or relabelled as another attempt's no longer verifies. Its number `n` is given
 * by the database at insert time, so it is not signed: a copy under a new number is refused by the take-over as a
 * duplicate (checkJournalFile), since every journal record carries its own time and never repeats.
 */
export const journalLineMessage = (jobId: number, file: string, line: string, attempt: number): string =>
  `mokodeploy-journal-line:${sha256Hex(canonicalJson({ table: 'journal_lines', job: jobId, attempt, file, line }))}`;

export const signJournalLine = (signer: AuditSigner, jobId: number, file: string, line: string, attempt: number): string =>
  signer.sign(journalLineMessage(jobId, file, line, attempt));

/**
 * Any other queue row whose content drives a decision (src/queue/row-signatures.ts): the message names the table
 * and the row's identity (primary key, job, attempt) beside its content, so a valid signature cannot be moved onto
 * another row.
 */
export const queueRowMessage = (table: string, row: Record<string, unknown>): string =>
  `mokodeploy-queue-row:${table}:${sha256Hex(canonicalJson({ table, ...row }))}`;

const fix =
  'the queue database was written by something else than mokodeploy (or by a machine with another audit key): look at that row; queue the command again from a machine with the store\'s audit key';

/** Refuses a job whose row is not exactly what an enqueuer holding the store's key signed. */
export async function checkJobRequest(
  pool: pg.Pool,
  signer: AuditSigner,
  id: number,
  command: readonly string[],
  args: JobArgs,
): Promise<void> {
  const { rows } = await pool.query<{ signature: string | null }>(
    'SELECT signature FROM mokodeploy_queue.jobs WHERE id = $1',
    [id],
  );
  const signature = rows[0]?.signature;
  if (!signature || !signatureValid(signer.publicKey, jobRequestMessage(id, command, args), signature))
    throw refused(
      `job ${id} refused: its request (command, deployment, as, options) ${signature ? 'does not match its signature' : 'is not signed'} by the store's audit key`,
      { where: `mokodeploy_queue.jobs id ${id}`, fix },
    );
}

/** Refuses a committed journal line no worker holding the store's key signed for this job and file. */
export function checkJournalLine(
  signer: AuditSigner,
  jobId: number,
  file: string,
  n: number,
  line: string,
  signature: string | null,
  attempt: number,
): void {
  if (!signature || !signatureValid(signer.publicKey, journalLineMessage(jobId, file, line, attempt), signature))
    throw refused(
      `the take-over of job ${jobId} stops: the queue's journal line ${n} of ${file} ${signature ? 'does not match its signature' : 'is not signed'} by the store's audit key; nothing was written to this machine's journals`,
      { where: `mokodeploy_queue.journal_lines job ${jobId}, ${file}, line ${n}`, fix },
    );
}

/**
 * A file's committed lines (in order) may not repeat a line: every journal record carries its own time, so a repeat
 * is a signed line copied under a new number (a replay of a step's record), never what a worker wrote.
 */
export function checkJournalFile(jobId: number, file: string, lines: readonly { n: number; line: string }[]): void {
  const seen = new Map<string, number>();
  for (const l of lines) {
    const first = seen.get(l.line);
    if (first !== undefined)
      throw refused(
        `the take-over of job ${jobId} stops: the queue's journal line ${l.n} of ${file} repeats line ${first} (a signed line copied under another number); nothing was written to this machine's journals`,
        { where: `mokodeploy_queue.journal_lines job ${jobId}, ${file}, line ${l.n}`, fix },
      );
    seen.set(l.line, l.n);
  }
}
