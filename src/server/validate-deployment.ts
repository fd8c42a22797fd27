import type { AppContext } from '../app/context.js';
import { roleFor } from '../core/authorize.js';
import { MokoError } from '../core/errors.js';
import type { DeploymentRecord } from '../core/record.js';
import { runValidation } from '../checks/run-validation.js';
import { SecretStore } from '../store/secrets.js';
import { loadDeployment } from './deployment-views.js';

/**
 * Environment validation of a deployment's target, recorded on it — what `mokodeploy validate <id>`
 * does: refuse (and audit) a person without validation.run before spending minutes on the target,
 * run the policy's checks, attach the report with the core's record-validation operation.
 */
export async function validateDeployment(
  app: AppContext,
  id: string,
  login: string,
): Promise<DeploymentRecord> {
  const actor = await app.actor(login);
  const { record } = await loadDeployment(app, id);
  try {
    roleFor(app.policy(), actor, 'validation.run');
  } catch (e) {
    if (e instanceof MokoError) await app.recordRefusal(e, actor.login, 'validation.run', id);
    throw e;
  }
  const secrets = new SecretStore(app.home);
  const report = await runValidation(
    { plan: record.plan, secret: (name) => (secrets.has(name) ? secrets.get(name) : undefined) },
    { policy: app.policy(), now: () => app.now() },
  );
  return app.act(id, 'record-validation', report, actor.login);
}
