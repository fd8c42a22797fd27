import type { CommandModule } from './module.js';
import type { AppContext } from '../../app/context.js';
import { loadRecord } from './records.js';
import { refused } from '../../core/errors.js';
import { openHost } from '../../hosts/open.js';
import { describeHolder, forceReleaseLock, readLock } from '../../runner/lock.js';
import { checkBeforeWork } from '../../app/engine/setup.js';

/**
 * `mokodeploy abort ID --reason …` (issue 14 point 1): close a run that is provably dead and put the record
 * back to `scheduled` (deploy again, revise or cancel from there). Provably dead: the target lock is free, or
 * held by this deployment's run whose process on this machine is gone (then what it left running is stopped
 * and the lock released). A live holder, or one on another machine, is refused. Deployment manager; audited.
 */
export const abortCommands: CommandModule = {
  register(program, app) {
    program
      .command('abort <id>')
      .description(
        'abort a deploying run that is dead (no live lock holder): record it failed, back to scheduled (deployment manager)',
      )
      .requiredOption('--reason <text>', 'why the run is aborted (recorded)')
      .option('--as <login>', 'who acts (deployment manager)')
      .action((id: string, o: { reason: string; as?: string }) => abort(app(), id, o));
  },
};

async function abort(a: AppContext, id: string, o: { reason: string; as?: string }): Promise<void> {
  const { record } = await loadRecord(a, id);
  const input = { reason: o.reason, evidence: 'checking the lock' };
  await checkBeforeWork(a, record, 'abort-run', input, o.as); // state and role, before the target is touched
  const target = record.plan.target;
  const host = openHost(target);
  let evidence: string;
  try {
    const lockTarget = { host, root: target.root, sudo: target.sudo };
    const status = await readLock(lockTarget);
    if (!status.held) evidence = `no lock held on ${host.name}:${target.root}`;
    else if (status.holderAlive === false && status.owner?.deploymentId === id) {
      const released = await forceReleaseLock(lockTarget);
      const stopped = released.orphansStopped ?? [];
      evidence = `lock of ${describeHolder(status.owner)} released, that process being gone; stopped ${stopped.length} process(es) it had left${stopped.length ? `: ${stopped.map((p) => `${p.pid} ${p.command}`).join('; ')}` : ''}`;
    } else
      throw refused(
        `${id}: the run is not provably dead: the target is locked by ${describeHolder(status.owner)}`,
        {
          fix:
            status.holderAlive === true
              ? 'that run is still going: wait for it, or stop it first'
              : 'check that process on its machine; once it is gone, release the lock there (mokodeploy lock release) and abort again',
        },
      );
  } finally {
    await host.close();
  }
  const r = await a.act(id, 'abort-run', { reason: o.reason, evidence }, o.as);
  a.out.result(
    { id, state: r.state, evidence },
    () => `${id}: run aborted (${evidence}); now ${r.state}: deploy again, revise the plan or cancel`,
  );
}
