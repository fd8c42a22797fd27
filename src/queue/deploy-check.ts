import type { AppContext } from '../app/context.js';
import { roleFor } from '../core/authorize.js';
import { MokoError, notFound, refused } from '../core/errors.js';
import { evaluateGates } from '../core/gates.js';
import { assertInWindow } from '../core/window.js';

/**
 * Whether a person may start (or queue) a deploy now: role, state, open gates and the approved window, so a
 * refusal answers at once (a role refusal audited). The run itself re-checks everything in the core.
 */
export async function checkDeployStart(app: AppContext, id: string, login: string): Promise<void> {
  const actor = await app.actor(login);
  const found = await (await app.store()).get(id);
  if (!found) throw notFound(`no deployment ${id}`, { fix: 'list them: mokodeploy list' });
  const { record } = found;
  try {
    roleFor(app.policy(), actor, 'deployment.execute');
  } catch (e) {
    if (e instanceof MokoError) await app.recordRefusal(e, actor.login, 'start-run', id);
    throw e;
  }
  if (record.state !== 'scheduled' && record.state !== 'deploying') {
    throw refused(`${id} is ${record.state}: a deployment runs once it is scheduled (or resumes while deploying)`);
  }
  const open =
    record.state === 'scheduled' ? evaluateGates(record, 'deploying', { policy: app.policy(), now: app.now() }).open : [];
  if (open.length > 0) {
    throw refused(`${id} cannot be deployed while a gate is open`, {
      details: open.map((g) => `[${g.gate}] ${g.message} -> ${g.fix}`),
    });
  }
  assertInWindow(record, app.policy(), app.now(), { command: 'deploy' });
}
