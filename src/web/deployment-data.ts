import type { AppContext } from '../app/context.js';
import { checklistOf, loadDeployment, statusOf } from '../server/deployment-views.js';
import { lastDeployOutput } from '../server/deploy-log.js';
import { readJournal, journalPath } from '../runner/journal.js';
import type { DeploymentPageData } from './pages/deployment.js';
import { failedRunOutput } from './run-view.js';
import type { FormState } from './form-fields.js';

/** Everything the deployment page shows, read once (also to show a refused form again). */
export async function deploymentData(
  app: AppContext,
  id: string,
  formState?: FormState,
): Promise<DeploymentPageData> {
  const { record } = await loadDeployment(app, id);
  const audit = (await (await app.store()).auditEntries()).filter((e) => e.deploymentId === record.id);
  let journal: ReturnType<typeof readJournal> = [];
  try {
    journal = readJournal(journalPath(app.home, record.id));
  } catch {
    journal = []; // a corrupt journal is the runner's to report; the page still shows the record
  }
  const failed = journal.at(-1)?.type === 'run-failed' || journal.at(-1)?.type === 'run-closed';
  return {
    record,
    policy: app.policy(),
    now: app.now(),
    next: statusOf(app, record).next,
    checklist: checklistOf(app, record),
    journal,
    audit,
    deployOutput: failed ? (failedRunOutput(journal) ?? lastDeployOutput(app.home, record.id)) : [],
    formState,
    outbox: await (await app.store()).outbox({ deploymentId: record.id }),
  };
}
