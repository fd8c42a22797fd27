import { dbConnection } from '../../backup/connection.js';
import { sqlIdent } from '../../backup/sql.js';
import { layoutOf } from '../install/context.js';
import { restoreOntoRelease } from '../restore/index.js';
import type { Step } from '../step.js';

/** The release production serves, copied as it is (custom modules included) under the copy's release name. */
export function copyReleaseStep(productionReleaseDir: string): Step {
  return {
    id: 'rehearse:copy-release',
    title: 'Copy the release production serves into the throwaway copy',
    policyRef: 'deploy.phase1.backup-production',
    plan(ctx) {
      const l = layoutOf(ctx);
      return [
        {
          kind: 'run',
          description: `remove an older copy`,
          command: { sudo: true, argv: ['rm', '-rf', '--', l.releaseDir] },
        },
        {
          kind: 'run',
          description: 'releases directory',
          command: { sudo: true, argv: ['mkdir', '-p', l.releasesDir] },
        },
        {
          kind: 'run',
          description: `copy ${productionReleaseDir}`,
          command: {
            sudo: true,
            argv: ['cp', '-a', '--', productionReleaseDir, l.releaseDir],
            timeoutMs: 1_800_000,
          },
        },
      ];
    },
  };
}

/** Production's latest backup restored into the copy (restore/), from the copied release instead of a tarball. */
export function rehearsalRestorePipeline(productionReleaseDir: string): Step[] {
  return [copyReleaseStep(productionReleaseDir), ...restoreOntoRelease];
}

/** The copy removed: its database and its directories (the plan is the rehearsal plan: nothing of production). */
export const removeCopy: Step = {
  id: 'rehearse:remove-copy',
  title: 'Remove the throwaway copy (database and directories)',
  policyRef: 'deploy.phase1.backup-production',
  plan(ctx) {
    const conn = dbConnection(ctx);
    const t = ctx.plan.target;
    if (
      ![t.root, t.dataRoot, t.backupRoot].every((p) => p.endsWith('-rehearsal')) ||
      !ctx.plan.database.name.endsWith('_rehearsal')
    )
      throw new Error('bug: removeCopy planned with a plan that is not a rehearsal copy');
    return [
      ...conn.before,
      {
        kind: 'run',
        description: `drop ${ctx.plan.database.name}`,
        command: {
          sudo: true,
          argv: [
            ...conn.argv('mariadb'),
            '--batch',
            '-e',
            `DROP DATABASE IF EXISTS ${sqlIdent(ctx.plan.database.name)};`,
          ],
        },
      },
      ...conn.after,
      {
        kind: 'run',
        description: 'remove the copy',
        command: { sudo: true, argv: ['rm', '-rf', '--', t.root, t.dataRoot, t.backupRoot] },
      },
    ];
  },
};
