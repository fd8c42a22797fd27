import type { AppContext } from '../context.js';
import { MokoError, refused } from '../../core/errors.js';
import { loadRecord } from '../../cli/commands/records.js';
import { runDeployment } from '../migrate-run.js';
import { assertDataAsPackaged } from '../../package/data-check.js';

/**
 * `mokodeploy deploy` of a data-migration plan (policy "Data Migration Deployment"): the gates and the run record
 * of any deployment around `migrate run <id>` — the plan's imports, backup of the target tables first, a sample,
 * then the full import, each report attached as evidence. A refused or failed import is a failed run.
 */
export async function deployDataMigration(a: AppContext, id: string, as?: string): Promise<void> {
  const { record } = await loadRecord(a, id);
  if (record.plan.data.length === 0)
    throw refused(`${id} is a data-migration deployment with nothing to import`, {
      where: 'data',
      fix: `list the files in the plan's data section (object, file, mapping), then: mokodeploy plan revise ${id} PLAN`,
    });
  await assertDataAsPackaged(record, a.home); // issue 22: the files imported are the approved package's
  await a.act(id, 'start-run', { note: `data migration: ${record.plan.data.length} file(s)` }, as); // the gates
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  try {
    await runDeployment(a, id, { as });
  } catch (e) {
    const note = e instanceof MokoError ? e.message : String(e);
    await a.act(id, 'finish-run', { outcome: 'failed', durationSeconds: seconds(), note }, as);
    throw e;
  }
  await a.act(id, 'finish-run', { outcome: 'succeeded', durationSeconds: seconds() }, as);
}
