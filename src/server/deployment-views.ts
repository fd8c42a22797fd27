import type { AppContext } from '../app/context.js';
import { notFound } from '../core/errors.js';
import { checklistView, statusView } from '../core/views.js';
import type { DeploymentRecord } from '../core/record.js';

/** Read-side views shared by the API and the pages (the same answers as `show`, `status`, `checklist`). */
export async function loadDeployment(
  app: AppContext,
  id: string,
): Promise<{ record: DeploymentRecord; revision: number }> {
  const found = await (await app.store()).get(id);
  if (!found) throw notFound(`no deployment ${id}`, { fix: 'list them: GET /api/deployments' });
  return found;
}

export function statusOf(app: AppContext, record: DeploymentRecord) {
  return statusView(record, { policy: app.policy(), now: app.now() });
}

export function checklistOf(app: AppContext, record: DeploymentRecord) {
  return checklistView(app.policy(), record);
}
