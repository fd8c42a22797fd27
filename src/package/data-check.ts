import { existsSync } from 'node:fs';
import { refused } from '../core/errors.js';
import type { DeploymentRecord } from '../core/record.js';
import { dataPath } from './build.js';
import { approvedManifest } from './ship.js';
import { hashFile } from './tree.js';

/**
 * A data migration imports from this machine (src/migrate), so its package is not shipped: instead each data file
 * the plan names must still be, byte for byte, the one in the approved package (issue 22). Refused naming the files.
 */
export async function assertDataAsPackaged(record: DeploymentRecord, home: string): Promise<void> {
  if (!record.package) return;
  const m = approvedManifest(record, home);
  const problems: string[] = [];
  for (const [i, d] of record.plan.data.entries()) {
    const packaged = m.data[i] && m.files.find((f) => f.path === m.data[i]!.path);
    const file = dataPath(d.file, record.planFile);
    if (!packaged) problems.push(`data[${i}] ${d.file}: not in the approved package`);
    else if (!existsSync(file)) problems.push(`data[${i}] ${file}: missing`);
    else if ((await hashFile(file)) !== packaged.sha256) problems.push(`data[${i}] ${file}: changed since the package was approved`);
  }
  if (problems.length > 0)
    throw refused(`the data files of ${record.id} are not the approved ones`, {
      details: problems,
      fix: `rebuild the package (mokodeploy package ${record.id}) and have it approved again`,
    });
}
