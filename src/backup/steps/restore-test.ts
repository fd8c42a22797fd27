import type { Command } from '../../hosts/host.js';
import type { Action, Step } from '../../steps/step.js';
import { bashCommand } from '../bash.js';
import { dbConnection, scratchDatabase } from '../connection.js';
import { backupOf, restoreTestSuffix } from '../context.js';
import { inventoryCommands } from '../inventory.js';
import { sqlIdent } from '../sql.js';
import { productionTablesFile } from './dump-database.js';

/**
 * Policy Phase 1 "Test backup restoration": the dump is loaded into a scratch database on the same server, which
 * must end with exactly the tables production had; the row counts and CHECKSUM TABLE of every table are read
 * from that restored copy into tables/rows.tsv and checksums.tsv: they describe the backup, and a rollback is
 * verified against them. The scratch database is dropped afterwards (and before, after a crash).
 */
export const restoreTest: Step = {
  id: 'backup:restore-test',
  title: 'Test-restore the dump into a scratch database; record row counts and checksums',
  policyRef: 'deploy.phase1.backup-production',
  plan(ctx) {
    const b = backupOf(ctx);
    const conn = dbConnection(ctx);
    const scratch = scratchDatabase(ctx.plan, restoreTestSuffix);
    const mariadb = [...conn.argv('mariadb'), '--batch'];
    const run = (description: string, command: Command): Action => ({ kind: 'run', description, command });
    const { charset, collation } = ctx.policy.environment.server.database;
    const create = `DROP DATABASE IF EXISTS ${sqlIdent(scratch)}; CREATE DATABASE ${sqlIdent(scratch)} CHARACTER SET ${charset} COLLATE ${collation};`;
    const [rows, sums] = inventoryCommands(conn, scratch, b.rows, b.checksums);
    return [
      ...conn.before,
      run(`create scratch database ${scratch}`, { sudo: true, argv: [...mariadb, '-e', create] }),
      run(
        `load ${b.database} into ${scratch}`,
        bashCommand('"${@:2}" < "$1"', undefined, [b.database, ...mariadb, scratch]),
      ),
      run('row counts of the restored copy', rows!),
      run('CHECKSUM TABLE of the restored copy', sums!),
      run(
        'the restored copy has exactly the production tables',
        bashCommand('test -s "$1" && cut -f1 "$1" | cmp -s - "$2"', undefined, [
          b.rows,
          productionTablesFile(b.tablesDir),
        ]),
      ),
      run(`drop ${scratch}`, {
        sudo: true,
        argv: [...mariadb, '-e', `DROP DATABASE IF EXISTS ${sqlIdent(scratch)};`],
      }),
      ...conn.after,
    ];
  },
};
