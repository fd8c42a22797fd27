import { bashCommand } from '../../backup/bash.js';
import { backupOf } from '../../backup/context.js';
import { dbConnection } from '../../backup/connection.js';
import { signatureSql, swapChangedScript } from './swap-changed.js';
import { sqlIdent } from '../../backup/sql.js';
import { upgradeFacts } from '../upgrade/context.js';
import type { Step, StepContext } from '../step.js';
import { createLikeSql } from './copy-database.js';
import { archiveDatabaseName, copyDatabaseName, failedDatabaseName } from './names.js';


/**
 * Issue 19 step 4: the database half of the switch. One RENAME TABLE moves the changed tables (swap-changed.ts) of
 * the live schema into `out` and those of `incoming` into the live schema: MariaDB renames them all or none, metadata
 * only, whatever the rows (foreign keys follow their tables). The live schema's name never changes, so conf.php,
 * backups and verify keep naming the plan's database.
 */
/** Where the forward swap lists the tables it moved (beside the backup's inventories); the swap back reads it. */
export const swappedListPath = (ctx: StepContext): string => `${backupOf(ctx).tablesDir}/swapped-tables.txt`;

function swapStep(
  id: string,
  title: string,
  mode: 'list' | 'read',
  names: (ctx: StepContext) => { out: string; incoming: string },
): Step {
  return {
    id,
    title,
    policyRef: 'deploy.phase2.install-base',
    plan(ctx) {
      const conn = dbConnection(ctx);
      const live = ctx.plan.database.name;
      const { out, incoming } = names(ctx);
      const client = [...conn.argv('mariadb')];
      return [
        ...conn.before,
        {
          kind: 'run',
          description: `create ${out} (charset of ${live})`,
          command: {
            sudo: true,
            argv: [...client, '--batch'],
            stdin: `DROP DATABASE IF EXISTS ${sqlIdent(out)};\n${createLikeSql(live, out)}\n`,
          },
        },
        {
          kind: 'run',
          description: `RENAME TABLE of the changed tables: ${live} -> ${out}, ${incoming} -> ${live} (one statement)`,
          command: bashCommand(swapChangedScript, 600_000, [
            live,
            out,
            incoming,
            swappedListPath(ctx),
            mode,
            signatureSql(live),
            signatureSql(incoming),
            ...client,
          ]),
        },
        ...conn.after,
      ];
    },
  };
}

/** The archive an upgrade by copy left (facts.archiveDatabase, recorded by the upgrade), else the one of this stamp. */
export function archiveOf(ctx: StepContext): string {
  const named = (ctx.facts as { archiveDatabase?: unknown }).archiveDatabase;
  return typeof named === 'string' ? named : archiveDatabaseName(ctx.plan, upgradeFacts(ctx).stamp);
}

/** The migrated copy becomes the live schema; the old tables are kept whole in the archive. */
export const swapDatabase = swapStep(
  'upgrade:swap-database',
  'Swap the migrated copy in (the changed tables, old ones to the archive, in one RENAME TABLE)',
  'read',
  (ctx) => ({
    out: archiveDatabaseName(ctx.plan, upgradeFacts(ctx).stamp),
    incoming: copyDatabaseName(ctx.plan),
  }),
);

/** Rollback before writes: the archive back in, the new release's tables kept aside; nothing is restored. */
export const swapBackDatabase = swapStep(
  'rollback:swap-back-database',
  'Swap the old database back in (the tables the upgrade swapped, new ones aside, in one RENAME TABLE)',
  'read',
  (ctx) => ({
    out: failedDatabaseName(ctx.plan, upgradeFacts(ctx).stamp),
    incoming: archiveOf(ctx),
  }),
);

/** Before the swap, while the served release is read-only: which tables the migration changed (definitions, checksums). */
export const compareCopy: Step = {
  id: 'upgrade:compare-copy',
  title: 'List the tables the migration changed (definition or CHECKSUM TABLE differ)',
  policyRef: 'deploy.phase2.install-base',
  plan(ctx) {
    const conn = dbConnection(ctx);
    const live = ctx.plan.database.name;
    const copy = copyDatabaseName(ctx.plan);
    const client = [...conn.argv('mariadb')];
    return [
      ...conn.before,
      {
        kind: 'run',
        description: `compare ${copy} with ${live} into ${swappedListPath(ctx)}`,
        command: bashCommand(swapChangedScript, 1_800_000, [
          live,
          archiveDatabaseName(ctx.plan, upgradeFacts(ctx).stamp),
          copy,
          swappedListPath(ctx),
          'list',
          signatureSql(live),
          signatureSql(copy),
          ...client,
        ]),
      },
      ...conn.after,
    ];
  },
};
