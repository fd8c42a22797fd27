import { posix } from 'node:path';
import { liveDatabase } from '../../backup/live-database.js';
import { bashCommand } from '../../backup/bash.js';
import { dbConnection } from '../../backup/connection.js';
import { backupOf } from '../../backup/context.js';
import { dumpArgv } from '../../backup/steps/dump-database.js';
import type { Step, StepContext } from '../step.js';
import { fixedLayout, upgradeFacts } from '../upgrade/context.js';
import { stampEpoch } from './changes.js';

/**
 * Issue 25: nothing a rollback discards is lost for good. Just before the restore (the site already in
 * maintenance, so no write comes after), the database as it is is dumped and the documents modified since the
 * backup archived, in the backup root under `rollback-<stamp of the rollback run>/` (not a backup stamp: retention
 * and `latestBackup` leave it alone), root's and 0600 like the backups.
 */
export interface RollbackEvidence {
  dir: string;
  database: string;
  documents: string;
}

export function evidenceOf(ctx: StepContext): RollbackEvidence {
  const dir = posix.join(ctx.plan.target.backupRoot, `rollback-${upgradeFacts(ctx).stamp}`);
  return { dir, database: `${dir}/database.sql`, documents: `${dir}/documents-changed.tar.gz` };
}

/** Constant: $1 the file written (through a .partial name), the rest the dump's argv. */
const dumpScript = 'umask 077 && "${@:2}" > "$1.partial" && mv -f "$1.partial" "$1"';
/** Constant: $1 documents directory, $2 `@epoch` of the backup, $3 the archive (files relative to $1). */
const archiveScript =
  'umask 077 && cd "$1" && find . -type f -newermt "$2" -print0 | tar --null -czf "$3.partial" -T - && mv -f "$3.partial" "$3"';

export const keepEvidence: Step = {
  id: 'rollback:keep-evidence',
  title: 'Keep the database and the documents changed since the backup, as they are before the restore',
  policyRef: 'rollback.process',
  plan(ctx) {
    const e = evidenceOf(ctx);
    const conn = dbConnection(ctx);
    const db = liveDatabase(ctx);
    return [
      {
        kind: 'run',
        description: `evidence directory ${e.dir}`,
        command: { sudo: true, argv: ['install', '-d', '-m', '700', '--', e.dir] },
      },
      ...conn.before,
      {
        kind: 'run',
        description: `mariadb-dump ${db} > ${e.database}`,
        command: bashCommand(dumpScript, undefined, [e.database, ...dumpArgv(conn, db)]),
      },
      ...conn.after,
      {
        kind: 'run',
        description: `documents changed since backup ${backupOf(ctx).stamp} > ${e.documents}`,
        command: bashCommand(archiveScript, undefined, [
          fixedLayout(ctx).dataRoot,
          stampEpoch(backupOf(ctx).stamp),
          e.documents,
        ]),
      },
    ];
  },
};
