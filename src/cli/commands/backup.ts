import type { CommandModule } from './module.js';
import { backupPipeline, readBackup, readTargetState } from '../../backup/index.js';
import { withRecordedBackup } from '../../backup/recorded.js';
import { freeStamp } from '../../backup/free-stamp.js';
import { targetLayout } from '../../dolibarr/layout.js';
import { targetError } from '../../core/errors.js';
import { runPipeline } from '../../steps/upgrade/engine-run.js';
import { engineSetup, withEngineOptions, type EngineCliOptions } from '../engine/setup.js';

const checklistOpen = ['draft', 'submitted', 'approved', 'ready', 'scheduled', 'rolled-back'];

/**
 * `mokodeploy backup <id>`: policy Phase 1 "Backup production" on the deployment's target — dump, archives,
 * test restore, manifest, retention — then ticks "backup-verified" with the backup as evidence (the upgrade gate).
 */
export const backupCommands: CommandModule = {
  register(program, app) {
    withEngineOptions(
      program
        .command('backup <id>')
        .description(
          'back up production (database, documents, custom modules, conf.php), test-restore it, tick backup-verified',
        ),
    )
      .option('--keep <n>', 'backups to keep (retention)', '7')
      .action(async (id: string, o: EngineCliOptions & { keep: string }) => {
        const a = app();
        const s = await engineSetup(a, id, o);
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
              }),
            },
            o.as,
          );
          a.out.result(
            {
              id,
              backup: b.dir,
              manifestSha256: b.manifestSha256,
              tables: b.tables.rows.size,
              steps: run.steps,
            },
            () =>
              [
                `${id}: backup ${b.dir} verified by a test restore (${b.tables.rows.size} tables)`,
                `manifest sha256 ${b.manifestSha256}`,
                ...b.files.map((f) => `  ${f.sha256.slice(0, 16)}…  ${f.name}`),
              ].join('\n'),
          );
        } finally {
          await s.close();
        }
      });
  },
};
