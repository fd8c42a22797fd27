import type { CommandModule } from './module.js';
import { backupPipeline, readBackup, readTargetState } from '../../backup/index.js';
import { withRecordedBackup } from '../../backup/recorded.js';
import { freeStamp } from '../../backup/free-stamp.js';
import { targetLayout } from '../../dolibarr/layout.js';
import { targetError } from '../../core/errors.js';
import { runPipeline } from '../../steps/upgrade/engine-run.js';
import { engineSetup, withEngineOptions, type EngineCliOptions } from '../../app/engine/setup.js';
import {
  offsiteOptionsOf,
  registerBackupList,
  withOffsiteOptions,
  type OffsiteCliOptions,
} from './backup-list.js';
import { openOffsite } from '../../offsite/index.js';
import { copiesOf, runOffsiteCopies, type BackupCopies } from '../../offsite/run-copies.js';

const checklistOpen = ['draft', 'submitted', 'approved', 'ready', 'scheduled', 'rolled-back'];

/**
 * `mokodeploy backup <id>`: policy Phase 1 "Backup production" on the deployment's target — dump, archives,
 * test restore, manifest, retention — then ticks "backup-verified" with the backup as evidence (the upgrade gate).
 */
export const backupCommands: CommandModule = {
  register(program, app) {
    const backup = withOffsiteOptions(
      withEngineOptions(
        program
          .command('backup')
          .argument('<id>')
          .description(
            'back up production (database, documents, custom modules, conf.php), test-restore it, tick backup-verified',
          ),
      )
        .option('--keep <n>', 'backups to keep (retention), on the target and in every off-server copy', '7')
        .option(
          '--delete-target-copy',
          'remove the backup from the target once its off-server copies are checked',
        ),
    ).action(
      async (
        id: string,
        o: EngineCliOptions & OffsiteCliOptions & { keep: string; deleteTargetCopy?: boolean },
      ) => {
        const a = app();
        const s = await engineSetup(a, id, o);
        const offsite = await openOffsite(a.home, offsiteOptionsOf(o));
        try {
          const facts = {
            stamp: await freeStamp(
              s.host,
              {
                backupRoot: s.record.plan.target.backupRoot,
                releasesDir: targetLayout(s.record.plan.target.root, s.record.plan.target.dataRoot, 'x')
                  .releasesDir,
              },
              a.now(),
            ),
            target: await readTargetState(s.host, s.record.plan),
            keepBackups: Number(o.keep),
          };
          const run = await runPipeline(
            { ...s.engine, ctx: s.ctx(facts) },
            'backup',
            backupPipeline(),
            facts,
          );
          if (!run.ok) throw run.error ?? targetError('the backup failed');
          // this run's own backup (a resumed run's stamp is the interrupted run's)
          const b = await readBackup(s.host, s.record.plan.target.backupRoot, String(run.facts.stamp));
          const evidence = { kind: 'backup' as const, path: b.dir, sha256: b.manifestSha256 };
          if (checklistOpen.includes(s.record.state))
            await a.act(
              id,
              'tick',
              {
                item: 'backup-verified',
                evidence: [evidence],
                note: `test-restored; ${b.tables.rows.size} tables`,
              },
              o.as,
            );
          const at = a.now().toISOString();
          // issue 23: the backup leaves the server it protects, as part of the run
          let copies: BackupCopies = { target: b.dir };
          let copyError: unknown;
          if (offsite.store || offsite.bucket) {
            try {
              const { index, removed } = await runOffsiteCopies(
                offsite,
                {
                  host: s.host,
                  backupRoot: s.record.plan.target.backupRoot,
                  stamp: b.stamp,
                  client: s.record.plan.client,
                  deployment: id,
                  manifestSha256: b.manifestSha256,
                  now: a.now(),
                },
                { deleteTargetCopy: o.deleteTargetCopy ?? false, keep: Number(o.keep) },
              );
              copies = copiesOf(index);
              for (const stamp of [...new Set([...removed.store, ...removed.bucket])])
                a.out.warn(`retention: backup ${stamp} removed from the off-server copies`);
            } catch (e) {
              copyError = e;
            }
          } else
            a.out.warn(
              'no off-server copy (--offsite none): the backup lives only on the server it protects',
            );
          await a.act(
            id,
            'record-facts',
            {
              lastBackup: {
                dir: b.dir,
                stamp: b.stamp,
                manifestSha256: b.manifestSha256,
                tables: b.tables.rows.size,
                at,
              },
              // every backup's manifest, what recovery and rehearsal check it against (issue 23)
              backups: withRecordedBackup(s.record.facts, {
                stamp: b.stamp,
                dir: b.dir,
                manifestSha256: b.manifestSha256,
                at,
                copies,
              }),
            },
            o.as,
          );
          if (copyError) throw copyError;
          a.out.result(
            {
              id,
              backup: b.dir,
              manifestSha256: b.manifestSha256,
              tables: b.tables.rows.size,
              copies,
              steps: run.steps,
            },
            () =>
              [
                `${id}: backup ${b.dir} verified by a test restore (${b.tables.rows.size} tables)`,
                `manifest sha256 ${b.manifestSha256}`,
                `copies: target ${copies.target ?? '(deleted)'}${copies.store ? `; store ${copies.store}` : ''}${copies.s3 ? `; ${copies.s3}` : ''}`,
                ...b.files.map((f) => `  ${f.sha256.slice(0, 16)}…  ${f.name}`),
              ].join('\n'),
          );
        } finally {
          offsite.close();
          await s.close();
        }
      },
    );
    registerBackupList(backup, app);
  },
};
