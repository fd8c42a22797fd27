import { refused } from '../core/errors.js';
import { signatureValid, type AuditSigner } from '../audit/signing-key.js';
import { queueRowMessage } from './signature.js';
import type { JobRow } from './jobs.js';

/**
 * The queue rows besides job requests and journal lines whose content drives a decision (issue 12), each signed by
 * its writer with the store's audit key and checked where it is read for that decision:
 * - a worker's registration (`workers`: id, host, pid): the reaper's "pid gone on this machine" test reads host
 *   and pid; a row whose host was rewritten to the reaper's own would be declared dead at once;
 * - a death declaration (`events` record `job-worker-died`: job, attempt, worker): the next attempt of that job
 *   takes over the dead attempt's target lock on it (src/runner/lock.ts handedOver);
 * - a job's state (`jobs.state_signature`: id, state, attempts, worker, exit code): a worker starts only a job whose
 *   signed state is queued (by the enqueuer, or by a reaper after its worker died), the reaper requeues only an
 *   attempt its worker signed as running, and a fleet counts only a signed settlement as done or failed.
 * Each message names the table and the row's identity, so a signature is never valid on another row.
 */
export interface JobState {
  id: number;
  state: string;
  attempts: number;
  worker: string | null;
  exitCode: number | null;
}

export const jobStateMessage = (s: JobState): string =>
  queueRowMessage('jobs', {
    id: s.id,
    state: s.state,
    attempts: s.attempts,
    worker: s.worker,
    exitCode: s.exitCode,
  });

export const signJobState = (signer: AuditSigner, s: JobState): string => signer.sign(jobStateMessage(s));

export const jobStateValid = (
  signer: AuditSigner,
  s: JobState,
  signature: string | null | undefined,
): boolean => !!signature && signatureValid(signer.publicKey, jobStateMessage(s), signature);

export interface WorkerIdentity {
  id: string;
  host: string;
  pid: number;
}

export const signWorker = (signer: AuditSigner, w: WorkerIdentity): string =>
  signer.sign(queueRowMessage('workers', { id: w.id, host: w.host, pid: w.pid }));

export const workerValid = (
  signer: AuditSigner,
  w: WorkerIdentity,
  signature: string | null | undefined,
): boolean =>
  !!signature &&
  signatureValid(
    signer.publicKey,
    queueRowMessage('workers', { id: w.id, host: w.host, pid: w.pid }),
    signature,
  );

export interface DeathDeclaration {
  job: number;
  /** The attempt the dead worker ran (the next attempt may take over its lock). */
  attempt: number;
  worker: string;
}

const deathMessage = (d: DeathDeclaration): string =>
  queueRowMessage('events', { type: 'job-worker-died', job: d.job, attempt: d.attempt, worker: d.worker });

export const signDeath = (signer: AuditSigner, d: DeathDeclaration): string => signer.sign(deathMessage(d));

const fix =
  "the queue database was written by something else than mokodeploy (or by a machine with another audit key): look at that row; queue the command again from a machine with the store's audit key";

/** Refuses a `job-worker-died` event no reaper holding the store's key declared for this job, attempt and worker. */
export function checkDeath(
  signer: AuditSigner,
  seq: number,
  d: Partial<DeathDeclaration>,
  signature: unknown,
): DeathDeclaration {
  const ok =
    typeof d.job === 'number' &&
    typeof d.attempt === 'number' &&
    typeof d.worker === 'string' &&
    typeof signature === 'string' &&
    signatureValid(signer.publicKey, deathMessage(d as DeathDeclaration), signature);
  if (!ok)
    throw refused(
      `job ${d.job ?? '?'} refused: the queue's declaration that worker ${String(d.worker)} died (event ${seq}) ${signature ? 'does not match its signature' : 'is not signed'} by the store's audit key; no lock is taken over on it`,
      { where: `mokodeploy_queue.events job ${d.job ?? '?'}, seq ${seq}`, fix },
    );
  return d as DeathDeclaration;
}

/** Refuses to start a job whose row is not in a signed queued state of an earlier attempt than this one. */
export function checkStartable(
  signer: AuditSigner,
  s: JobState,
  signature: string | null | undefined,
  attempt: number,
): void {
  const why = !jobStateValid(signer, s, signature)
    ? `its state (${s.state}, attempt ${s.attempts}) ${signature ? 'does not match its signature' : 'is not signed'} by the store's audit key`
    : s.state !== 'queued'
      ? `it is ${s.state}, not queued (a settled job is never run again)`
      : s.attempts >= attempt
        ? `attempt ${attempt} is not after its queued attempt ${s.attempts}`
        : null;
  if (why)
    throw refused(`job ${s.id} attempt ${attempt} refused: ${why}`, {
      where: `mokodeploy_queue.jobs id ${s.id}`,
      fix,
    });
}

/** Why a settled job's row is not what its writer signed (its outcome is then not to be believed), or null when it is. */
export function settlementRefused(signer: AuditSigner, j: JobRow): string | null {
  const state = {
    id: j.id,
    state: j.state,
    attempts: j.attempts,
    worker: j.worker?.id ?? null,
    exitCode: j.exitCode,
  };
  if (jobStateValid(signer, state, j.stateSignature)) return null;
  return `job ${j.id} refused: its outcome (${j.state}, attempt ${j.attempts}, exit ${j.exitCode ?? '-'}) ${j.stateSignature ? 'does not match its signature' : 'is not signed'} by the store's audit key`;
}
