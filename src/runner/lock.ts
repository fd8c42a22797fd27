import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Command, Host } from '../hosts/host.js';
import { conflict, targetError } from '../core/errors.js';
import { describeCommand } from './describe.js';
import { stopOrphans, type Orphan } from './orphans.js';
import { lockJobOf, queuedRun, type LockJob } from './journal-job.js';

/**
 * One run at a time per target (policy: deployment window, no concurrent changes). The lock
 * lives on the target itself, so two operators on two machines still exclude each other:
 * `<root>/.mokodeploy-lock/` made with mkdir (atomic: exactly one creator wins) holding owner.json.
 */
export interface LockOwner {
  person: string;
  deploymentId: string;
  reason: string;
  since: string;
  pid: number;
  toolHost: string;
  /** Also the marker every process of the run carries on the target (MOKODEPLOY_RUN, orphans.ts). */
  runId: string;
  /** The queued job and attempt the run is (issue 20): its next attempt may take the lock over from another host. */
  job?: LockJob;
}

export interface LockTarget {
  host: Host;
  /** The deployment's target.root; the lock is a directory inside it. */
  root: string;
  sudo?: boolean;
}

export type LockStatus =
  | { held: false; dir: string }
  /** owner is undefined when owner.json is missing or unreadable (a run died while acquiring). */
  | { held: true; dir: string; owner?: LockOwner; holderAlive?: boolean };

export interface Lock extends LockTarget {
  dir: string;
  owner: LockOwner;
  /**
   * The lock this one replaced: a dead run of the same deployment on this tool host, or an earlier attempt of the
   * same queued job whose worker the queue declared dead (on any host).
   */
  tookOver?: LockOwner;
  /** This lock made target.root (it did not exist): releasing removes it again when still empty. */
  createdRoot?: boolean;
  /** What that dead run had left running on the target, stopped before this run went on. */
  orphansStopped?: Orphan[];
}

export const lockDir = (root: string): string => `${root.replace(/\/+$/, '')}/.mokodeploy-lock`;

export async function acquireLock(
  target: LockTarget,
  who: { person: string; deploymentId: string; reason: string },
): Promise<Lock> {
  const dir = lockDir(target.root);
  const owner: LockOwner = {
    ...who,
    since: new Date().toISOString(),
    pid: process.pid,
    toolHost: hostname(),
    runId: randomUUID(),
    ...(queuedRun() ? { job: lockJobOf(queuedRun()) } : {}),
  };
  // a root made only to hold the lock is removed with it when the run left nothing in it (a refused run)
  const createdRoot = (await run(target, { argv: ['test', '-d', target.root] })).code !== 0;
  await mustRun(target, { argv: ['mkdir', '-p', '--', target.root] });
  const made = await run(target, { argv: ['mkdir', '--', dir] });
  if (made.code === 0) {
    await writeOwner(target, dir, owner);
    target.host.markRun?.(owner.runId);
    return { ...target, dir, owner, ...(createdRoot ? { createdRoot } : {}) };
  }
  const status = await readLock(target);
  if (!status.held)
    throw targetError(`cannot create the lock ${dir}: ${made.stderr.trim()}`, { where: target.host.name });
  if (status.owner && canTakeOver(status, who.deploymentId)) {
    // the dead run's children may still be writing (kill -9 spares them): stop them before going on
    const orphansStopped = await stopOrphans(target, status.owner.runId);
    await writeOwner(target, dir, owner);
    target.host.markRun?.(owner.runId);
    return { ...target, dir, owner, tookOver: status.owner, orphansStopped };
  }
  throw heldError(target, status, who.deploymentId);
}

/**
 * A run may take over only its own deployment's lock, left by a process that is gone: one of this machine, or an
 * earlier attempt of the same queued job whose worker the queue declared dead (holderAlive).
 */
function canTakeOver(status: Extract<LockStatus, { held: true }>, deploymentId: string): boolean {
  return status.owner?.deploymentId === deploymentId && status.holderAlive === false;
}

/** The lock is an earlier attempt of the job this process runs, and the queue declared that attempt's worker dead. */
export function handedOver(owner: LockOwner, run = queuedRun()): boolean {
  const held = owner.job;
  return (
    run !== undefined &&
    held !== undefined &&
    held.id === run.jobId &&
    held.attempt < run.attempt &&
    run.deadWorkers.includes(held.worker)
  );
}

export async function readLock(target: LockTarget): Promise<LockStatus> {
  const dir = lockDir(target.root);
  const exists = await run(target, { argv: ['test', '-d', dir] });
  if (exists.code !== 0) return { held: false, dir };
  const read = await run(target, { argv: ['cat', '--', `${dir}/owner.json`] });
  const owner = read.code === 0 ? parseOwner(read.stdout) : undefined;
  return { held: true, dir, owner, holderAlive: owner ? holderAlive(owner) : undefined };
}

/** Normal release at the end of a run; refuses to remove a lock that is no longer ours. */
export async function releaseLock(lock: Lock): Promise<void> {
  const status = await readLock(lock);
  if (!status.held) return;
  if (status.owner?.runId !== lock.owner.runId) {
    throw conflict(`the lock ${lock.dir} on ${lock.host.name} is no longer held by this run; left in place`);
  }
  await mustRun(lock, { argv: ['rm', '-rf', '--', lock.dir] });
  if (lock.createdRoot) await run(lock, { argv: ['rmdir', '--', lock.root] }); // fails, as meant, when not empty
  lock.host.markRun?.(undefined);
}

/** Deliberate release of a lock left by a dead run; returns what was released so the caller can audit it. */
export async function forceReleaseLock(
  target: LockTarget,
): Promise<LockStatus & { orphansStopped?: Orphan[] }> {
  const status = await readLock(target);
  if (!status.held) return status;
  const orphansStopped = status.owner ? await stopOrphans(target, status.owner.runId) : undefined;
  await mustRun(target, { argv: ['rm', '-rf', '--', status.dir] });
  return { ...status, ...(orphansStopped ? { orphansStopped } : {}) };
}

/** One line for the terminal and the audit: whose lock was taken over, and what its run had left running. */
export function describeTakeOver(lock: Lock): string {
  const orphans = lock.orphansStopped ?? [];
  const stopped =
    orphans.length === 0
      ? 'it had left nothing running on the target'
      : `stopped ${orphans.length} process(es) it had left running: ${orphans.map((o) => `${o.pid} ${o.command}`.trim()).join('; ')}`;
  const why =
    lock.tookOver?.job && handedOver(lock.tookOver)
      ? `; the queue declared its worker ${lock.tookOver.job.worker} dead and handed job ${lock.tookOver.job.id} to attempt ${lock.owner.job?.attempt ?? '?'}`
      : '';
  return `took over the target lock of a dead run: ${describeHolder(lock.tookOver)}${why}; ${stopped}`;
}

export function describeHolder(owner: LockOwner | undefined): string {
  if (!owner) return 'an unknown run (owner.json missing: a run died while acquiring the lock)';
  const job = owner.job ? `; queued job ${owner.job.id} attempt ${owner.job.attempt}` : '';
  return `${owner.person} since ${owner.since} for deployment ${owner.deploymentId} (${owner.reason}; pid ${owner.pid} on ${owner.toolHost}${job})`;
}

function heldError(target: LockTarget, status: Extract<LockStatus, { held: true }>, deploymentId: string) {
  const dead = status.holderAlive === false ? ' — that process is no longer running' : '';
  return conflict(
    `target ${target.host.name}:${target.root} is locked by ${describeHolder(status.owner)}${dead}`,
    {
      where: status.dir,
      fix: `wait for that run to finish; if it died, release the lock deliberately: mokodeploy lock release ${deploymentId} --reason "…"`,
    },
  );
}

/**
 * Whether the lock's holder still runs: known for a process of this machine; for a process of another machine,
 * false when it was an earlier attempt of the queued job this process runs and the queue declared its worker dead
 * (issue 20), else unknown. A process seen alive here is alive, whatever the queue says.
 */
function holderAlive(owner: LockOwner): boolean | undefined {
  return isAlive(owner) ?? (handedOver(owner) ? false : undefined);
}

function isAlive(owner: LockOwner): boolean | undefined {
  if (owner.toolHost !== hostname()) return undefined;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    return typeof value.person === 'string' && typeof value.deploymentId === 'string'
      ? (value as LockOwner)
      : undefined;
  } catch {
    return undefined;
  }
}

async function writeOwner(target: LockTarget, dir: string, owner: LockOwner): Promise<void> {
  const json = `${JSON.stringify(owner, null, 2)}\n`;
  await mustRun(target, { argv: ['tee', '--', `${dir}/owner.json`], stdin: json });
}

function run(target: LockTarget, command: Command) {
  return target.host.run({ ...command, sudo: target.sudo });
}

async function mustRun(target: LockTarget, command: Command): Promise<void> {
  const result = await run(target, command);
  if (result.code !== 0) {
    throw targetError(`lock command failed: ${describeCommand(command)}: ${result.stderr.trim()}`, {
      where: target.host.name,
    });
  }
}
