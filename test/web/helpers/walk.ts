import type { AppContext } from '../../../src/cli/app.js';
import { submitPlanText } from '../../../src/server/plan-submit.js';
import { allVerificationResults, passingValidation } from '../../helpers/records.js';

const manualItems: [string, string][] = [
  ['requirements-documented', 'tina'],
  ['rollback-plan', 'tina'],
  ['backup-verified', 'tina'],
  ['security-scan', 'quinn'],
  ['performance-baseline', 'quinn'],
  ['uat-completed', 'carla'],
  ['training-materials', 'carla'],
  ['client-signoff', 'carla'],
];

/** Seed a deployment through the core (the same app.act the server uses), up to a state. */
export async function seedDeployment(app: AppContext, yaml: string, until: 'submitted' | 'approved' | 'awaiting-signoff' | 'live'): Promise<string> {
  const { record } = await submitPlanText(app, yaml, { login: 'tina', source: 'seed', submit: true });
  const id = record.id;
  if (until === 'submitted') return id;
  await app.act(id, 'approve', {}, 'dave');
  if (until === 'approved') return id;
  for (const [item, who] of manualItems) await app.act(id, 'tick', { item, evidence: [{ kind: 'text', text: `${item} done` }] }, who);
  await app.act(id, 'record-validation', passingValidation(app.now()), 'quinn');
  await app.act(id, 'ready', {}, 'tina');
  await app.act(id, 'schedule', { clientApprovedBy: 'Alice Client' }, 'dave');
  const start = new Date(app.now().getTime() - 3_600_000);
  await app.act(id, 'record-run', { startedAt: start.toISOString(), finishedAt: new Date(start.getTime() + 1_800_000).toISOString(), downtimeSeconds: 120, evidence: [{ kind: 'text', text: 'console log' }] }, 'tina');
  await app.act(id, 'record-verification', { source: 'manual', results: allVerificationResults('pass') }, 'quinn');
  if (until === 'awaiting-signoff') return id;
  throw new Error(`seedDeployment: ${until} is not supported`);
}
