import type { CommandModule } from './module.js';
import type { AppContext } from '../../app/context.js';
import { loadRecord } from './records.js';
import { readPlanFile } from '../plan-file.js';
import { inputError, refused, MokoError } from '../../core/errors.js';
import { roleFor } from '../../core/authorize.js';
import type { Plan } from '../../core/plan.js';
import { openHost } from '../../hosts/open.js';
import {
  describeHolder,
  forceReleaseLock,
  readLock,
  type LockStatus,
  type LockTarget,
} from '../../runner/index.js';

interface Which {
  plan?: string;
}

/** `mokodeploy lock status|release`: the per-target lock the deploy run holds on the target itself. */
export const lockCommands: CommandModule = {
  register(program, app) {
    const lock = program
      .command('lock')
      .description("the target's deployment lock (one run at a time per target)");
    lock
      .command('status [id]')
      .description("who holds the lock of the deployment's target, since when, for which deployment")
      .option('--plan <file>', 'the target of this plan file instead of a recorded deployment')
      .action(async (id: string | undefined, o: Which) => {
        const a = app();
        const { target, where } = await resolveTarget(a, id, o);
        const status = await withTarget(target, readLock);
        a.out.result({ target: where, ...status }, () => `${where}: ${describeStatus(status)}`);
      });
    lock
      .command('release [id]')
      .description('deliberately release a lock left behind by a dead run (recorded in the audit trail)')
      .option('--plan <file>', 'the target of this plan file instead of a recorded deployment')
      .requiredOption('--reason <text>', 'why it is safe to release (recorded)')
      .option('--as <login>', 'who acts')
      .action(async (id: string | undefined, o: Which & { reason: string; as?: string }) => {
        const a = app();
        const actor = await a.actor(o.as);
        const { target, where, deploymentId } = await resolveTarget(a, id, o);
        let role: string;
        try {
          role = roleFor(a.policy(), actor, 'lock.release');
        } catch (e) {
          if (e instanceof MokoError && e.security)
            return a.recordRefusal(e, actor.login, 'lock-release', deploymentId);
          throw e;
        }
        const released = await withTarget(target, async (t) => {
          const status = await readLock(t);
          if (status.held && status.holderAlive) throw stillRunning(status, where);
          return forceReleaseLock(t);
        });
        if (!released.held)
          return a.out.result({ target: where, released: false }, () => `${where}: no lock was held`);
        await (
          await a.store()
        ).appendAudit({
          at: a.now().toISOString(),
          actor: actor.login,
          role,
          action: 'lock-release',
          deploymentId,
          summary: `released the target lock ${where} held by ${describeHolder(released.owner)}: ${o.reason}${released.orphansStopped?.length ? ` (stopped ${released.orphansStopped.length} process(es) its run had left)` : ''}`,
          before: released.owner ?? { incomplete: true },
          after: null,
        });
        const stopped = released.orphansStopped ?? [];
        a.out.result(
          { target: where, released: true, previous: released.owner ?? null, orphansStopped: stopped },
          () =>
            `${where}: released the lock held by ${describeHolder(released.owner)}` +
            (stopped.length > 0
              ? `; stopped ${stopped.length} process(es) its run had left: ${stopped.map((p) => `${p.pid} ${p.command}`).join('; ')}`
              : ''),
        );
      });
  },
};

async function resolveTarget(a: AppContext, id: string | undefined, o: Which) {
  if ((id === undefined) === (o.plan === undefined)) {
    throw inputError('name a deployment or give --plan FILE (one of them)', {
      fix: 'mokodeploy lock status acme-2026-12',
    });
  }
  let plan: Plan;
  let deploymentId: string | null;
  if (id !== undefined) {
    plan = (await loadRecord(a, id)).record.plan;
    deploymentId = id;
  } else {
    plan = readPlanFile(o.plan!).plan;
    deploymentId = plan.id ?? null;
  }
  return { target: plan.target, where: `${plan.target.host}:${plan.target.root}`, deploymentId };
}

async function withTarget<T>(target: Plan['target'], use: (t: LockTarget) => Promise<T>): Promise<T> {
  const host = openHost(target);
  try {
    return await use({ host, root: target.root, sudo: target.sudo });
  } finally {
    await host.close();
  }
}

function describeStatus(status: LockStatus): string {
  if (!status.held) return 'free';
  const alive =
    status.holderAlive === undefined
      ? ''
      : status.holderAlive
        ? ' — that run is still going'
        : ' — that process is no longer running';
  return `locked by ${describeHolder(status.owner)}${alive}`;
}

function stillRunning(status: LockStatus, where: string) {
  return refused(`${where}: the run holding the lock is still running (${describeStatus(status)})`, {
    fix: 'wait for it to finish, or stop that process first; a lock is only released by hand when its run is dead',
  });
}
