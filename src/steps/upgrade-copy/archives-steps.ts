import { dbConnection } from '../../backup/connection.js';
import { sqlIdent } from '../../backup/sql.js';
import { readTargetState } from '../../backup/target-state.js';
import { sqlCommand } from '../../checks/db-client.js';
import { targetError } from '../../core/errors.js';
import type { Host } from '../../hosts/host.js';
import type { Step, StepContext } from '../step.js';
import { listArchives, parseDeploymentSchema, type Archive } from './archives.js';

/**
 * Issue 19: the archives of upgrades by copy on the target (archives.ts decides), read without changing anything,
 * and the step that drops the ones retention gave up.
 */
export interface ArchivesOnTarget {
  live: string;
  archives: Archive[];
}

export async function readArchives(host: Host, ctx: StepContext): Promise<ArchivesOnTarget> {
  const plan = ctx.plan;
  const state = (await readTargetState(host, plan)) as { liveDatabase?: string };
  const live = state.liveDatabase ?? plan.database.name;
  const r = await host.run({
    ...sqlCommand({ host, policy: ctx.policy, plan, now: new Date(), secret: ctx.secret }, 'SHOW DATABASES'),
    timeoutMs: 60_000,
  });
  if (r.code !== 0)
    throw targetError(`cannot list the schemas on the database server: ${r.stderr.trim().slice(0, 300)}`, {
      fix: 'check the database server and the admin connection (mokodeploy validate)',
    });
  const schemas = r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return { live, archives: listArchives(plan.database.name, live, schemas) };
}

/** Drop the named archives: each name is checked to be one of the deployment's and not the live one again here. */
export function dropArchivesStep(names: readonly string[], live: string): Step {
  return {
    id: 'archives:drop',
    title: 'Drop the archive schemas retention gave up',
    policyRef: 'deploy.phase1.backup-production',
    plan(ctx) {
      for (const n of names)
        if (n === live || !parseDeploymentSchema(ctx.plan.database.name, n))
          throw new Error(`bug: ${n} is not an archive of ${ctx.plan.database.name} (live ${live})`);
      if (names.length === 0) return [];
      const conn = dbConnection(ctx);
      return [
        ...conn.before,
        ...names.map((n) => ({
          kind: 'run' as const,
          description: `drop ${n}`,
          command: {
            sudo: true,
            argv: [...conn.argv('mariadb'), '--batch', '-e', `DROP DATABASE IF EXISTS ${sqlIdent(n)};`],
            timeoutMs: 600_000,
          },
        })),
        ...conn.after,
      ];
    },
  };
}
