import type { CommandModule } from './module.js';
import type { AppContext } from '../../app/context.js';
import { roleFor } from '../../core/authorize.js';
import { MokoError, notFound, refused } from '../../core/errors.js';
import { isRunningState } from '../../core/record.js';

/**
 * Policy "Rollback Procedures: Decide -> Notify stakeholders -> Execute": the decision is an audit entry of its
 * own ('rollback-decided', with trigger and reason), and the store queues the stakeholders' message with it
 * (src/notify). The engine's `rollback` records it before touching the target; `rollback-decide` records a
 * decision for a rollback carried out by hand (then `rollback-record`).
 */
export async function recordRollbackDecision(
  a: AppContext,
  id: string,
  input: { trigger: string; reason: string },
  as?: string,
): Promise<void> {
  const actor = await a.actor(as);
  const policy = a.policy();
  const store = await a.store();
  const found = await store.get(id);
  if (!found) throw notFound(`no deployment ${id}`, { fix: 'list them with: mokodeploy list' });
  let role: string;
  try {
    role = roleFor(policy, actor, 'deployment.rollback');
  } catch (e) {
    if (e instanceof MokoError) return a.recordRefusal(e, actor.login, 'rollback-decided', id);
    throw e;
  }
  if (!policy.rollback.triggers.some((t) => t.id === input.trigger))
    throw notFound(`unknown rollback trigger "${input.trigger}"`, {
      fix: `one of: ${policy.rollback.triggers.map((t) => t.id).join(', ')}`,
    });
  if (!isRunningState(found.record.state))
    throw refused(`${id} is ${found.record.state}: there is no deployment to roll back`);
  await store.appendAudit({
    at: a.now().toISOString(),
    actor: actor.login,
    role,
    action: 'rollback-decided',
    deploymentId: id,
    summary: `decided to roll back (${input.trigger}): ${input.reason}`,
    before: null,
    after: { trigger: input.trigger, reason: input.reason },
  });
}

export const rollbackDecideCommands: CommandModule = {
  register(program, app) {
    program
      .command('rollback-decide <id>')
      .description('record the decision to roll back and notify the stakeholders (policy "Rollback Procedures")')
      .option('--as <login>', 'who acts')
      .requiredOption('--trigger <id>', 'critical-functionality | data-integrity | security-vulnerability | performance | client-request')
      .requiredOption('--reason <text>', 'what happened')
      .action(async (id: string, o: { as?: string; trigger: string; reason: string }) => {
        await recordRollbackDecision(app(), id, o, o.as);
        app().out.result({ id, decided: true }, () =>
          `${id}: rollback decided; the stakeholders' message is in the outbox\nnext: mokodeploy rollback ${id} --trigger ${o.trigger} --reason ... (or rollback-record after a manual rollback)`,
        );
      });
  },
};
