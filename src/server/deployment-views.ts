import type { AppContext } from '../cli/app.js';
import { notFound } from '../core/errors.js';
import { evaluateGates } from '../core/gates.js';
import { requiredChecklistItems } from '../core/required-items.js';
import { nextStates } from '../core/transitions.js';
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
  const ctx = { policy: app.policy(), now: app.now() };
  return {
    id: record.id,
    state: record.state,
    next: nextStates(record.state).map((to) => ({ to, ...evaluateGates(record, to, ctx) })),
  };
}

export function checklistOf(app: AppContext, record: DeploymentRecord) {
  return requiredChecklistItems(app.policy(), record.plan).map((i) => {
    const e = record.checklist[i.id];
    return {
      id: i.id,
      label: i.label,
      role: i.role,
      section: i.section,
      auto: i.auto,
      done: Boolean(e?.ticked),
      by: e?.stamp?.by,
      at: e?.stamp?.at,
      evidence: e?.evidence ?? [],
    };
  });
}
